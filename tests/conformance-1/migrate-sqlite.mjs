// Apply a drizzle-kit 1.0 migrations folder (`<YYYYMMDDHHMMSS>_<name>/migration.sql`, no journal)
// to SQLite / libSQL with drizzle-orm 1.0's libsql migrator (what `drizzle-kit migrate` runs for
// dialect 'turso', and for 'sqlite' with @libsql/client).
//
//   node migrate-sqlite.mjs <migrationsFolder> <libsql-url, e.g. file:/abs/path/db.sqlite>
//   env MIGRATIONS_TABLE overrides the history table (default __drizzle_migrations)
//
// stdout: one JSON line {"before":N,"after":M,"applied":["<folder name>",…]}: 1.0 records the
// folder name of every migration it applies (and only consults names). Exit 1 with the error on
// stderr.
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';

const [folder, url] = process.argv.slice(2);
if (!folder || !url) {
  console.error('usage: node migrate-sqlite.mjs <migrationsFolder> <libsql-url>');
  process.exit(2);
}
const migrationsTable = process.env.MIGRATIONS_TABLE || '__drizzle_migrations';
const quoted = `"${migrationsTable.replaceAll('"', '""')}"`;

function describe(err) {
  const parts = [];
  for (let e = err, depth = 0; e && depth < 5; e = e.cause, depth++) {
    parts.push(e.stack || String(e));
    if (e.code) parts.push(`  code: ${e.code}`);
  }
  return parts.join('\ncaused by: ');
}

const client = createClient({ url });
let exitCode = 0;
try {
  const rows = async () => {
    const exists = await client.execute({
      sql: "select count(*) as n from sqlite_master where type = 'table' and name = ?",
      args: [migrationsTable],
    });
    if (Number(exists.rows[0].n) === 0) return [];
    const r = await client.execute(`select rowid as rid, name from ${quoted} order by rowid`);
    return r.rows;
  };
  const before = await rows();
  await migrate(drizzle({ client }), { migrationsFolder: folder, migrationsTable });
  const after = await rows();
  const known = new Set(before.map((r) => String(r.rid)));
  const applied = after.filter((r) => !known.has(String(r.rid))).map((r) => r.name);
  process.stdout.write(JSON.stringify({ before: before.length, after: after.length, applied }) + '\n');
} catch (err) {
  console.error(describe(err));
  exitCode = 1;
} finally {
  client.close();
}
process.exit(exitCode);
