// drizzle-orm 1.0.0-rc.5: apply a migrations folder (one sub-folder per migration) to PostgreSQL with drizzle-orm's own node-postgres migrator
// (the code path `drizzle-kit migrate` uses, but without its spinner that swallows errors).
//
//   node migrate.mjs <migrationsFolder> <postgres-url>
//   env MIGRATIONS_TABLE / MIGRATIONS_SCHEMA override the history table (defaults drizzle.__drizzle_migrations)
//
// stdout: one JSON line {"before":N,"after":M,"applied":["<hash>",…]} (rows of the history table
// before/after, and the hashes of the rows this run inserted). Exit 1 with the error on stderr on failure.
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';

const [folder, url] = process.argv.slice(2);
if (!folder || !url) {
  console.error('usage: node migrate.mjs <migrationsFolder> <postgres-url>');
  process.exit(2);
}
const migrationsTable = process.env.MIGRATIONS_TABLE || '__drizzle_migrations';
const migrationsSchema = process.env.MIGRATIONS_SCHEMA || 'drizzle';
const qualified = `"${migrationsSchema.replaceAll('"', '""')}"."${migrationsTable.replaceAll('"', '""')}"`;

function describe(err) {
  const parts = [];
  for (let e = err, depth = 0; e && depth < 5; e = e.cause, depth++) {
    parts.push(e.stack || String(e));
    for (const k of ['code', 'detail', 'hint', 'position', 'where']) if (e[k]) parts.push(`  ${k}: ${e[k]}`);
  }
  return parts.join('\ncaused by: ');
}

const pool = new pg.Pool({ connectionString: url, max: 1 });
let exitCode = 0;
try {
  const rows = async () => {
    const exists = await pool.query('select to_regclass($1) is not null as e', [qualified]);
    if (!exists.rows[0].e) return [];
    const r = await pool.query(`select id, hash, created_at, name from ${qualified} order by id`);
    return r.rows;
  };
  const before = await rows();
  await migrate(drizzle({ client: pool }), { migrationsFolder: folder, migrationsTable, migrationsSchema });
  const after = await rows();
  const known = new Set(before.map((r) => String(r.id)));
  const applied = after.filter((r) => !known.has(String(r.id))).map((r) => r.hash);
  process.stdout.write(JSON.stringify({ before: before.length, after: after.length, applied }) + '\n');
} catch (err) {
  console.error(describe(err));
  exitCode = 1;
} finally {
  await pool.end().catch(() => {});
}
process.exit(exitCode);
