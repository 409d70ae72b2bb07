// Apply a drizzle-kit migrations folder to SQLite / libSQL with drizzle-orm's libsql migrator
// (the migrator `drizzle-kit migrate` uses for dialect 'turso', and for 'sqlite' with @libsql/client).
//
//   node migrate-sqlite.mjs <migrationsFolder> <libsql-url, e.g. file:/abs/path/db.sqlite>
//   env MIGRATIONS_TABLE overrides the history table (default __drizzle_migrations; SQLite has no schema)
//
// stdout: one JSON line {"before":N,"after":M,"applied":["<hash>",…]}. Exit 1 with the error on stderr.
// Note: the history table's `id` column is declared SERIAL, so SQLite leaves it NULL; rows are told
// apart by rowid here.
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
    const r = await client.execute(`select rowid as rid, hash, created_at from ${quoted} order by rowid`);
    return r.rows;
  };
  const before = await rows();
  await migrate(drizzle(client), { migrationsFolder: folder, migrationsTable });
  const after = await rows();
  const known = new Set(before.map((r) => String(r.rid)));
  const applied = after.filter((r) => !known.has(String(r.rid))).map((r) => r.hash);
  process.stdout.write(JSON.stringify({ before: before.length, after: after.length, applied }) + '\n');
} catch (err) {
  console.error(describe(err));
  exitCode = 1;
} finally {
  client.close();
}
process.exit(exitCode);
