// Run a drizzle relational query (db.query.<table>.findMany) against PostgreSQL using the
// schema.ts / relations.ts of a drizzle-port output folder. Must be run with tsx (it imports .ts):
//
//   node_modules/.bin/tsx query.mjs <dir containing schema.ts [relations.ts]> <postgres-url> '<plan JSON>'
//
// plan: {"table": "<export name of the table>", "with": {…findMany `with`…},
//        "orderBy": ["<column key>", …] (optional, ascending), "limit": N (optional)}
// stdout: the rows as one JSON document (bigint → string, Date → ISO string, Buffer → hex string).
// Exit 1 with the error on stderr on failure.
import path from 'node:path';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { asc } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';

const [dir, url, planJson] = process.argv.slice(2);
if (!dir || !url || !planJson) {
  console.error("usage: tsx query.mjs <dir> <postgres-url> '<plan JSON>'");
  process.exit(2);
}

function describe(err) {
  const parts = [];
  for (let e = err, depth = 0; e && depth < 5; e = e.cause, depth++) {
    parts.push(e.stack || String(e));
    for (const k of ['code', 'detail', 'hint']) if (e[k]) parts.push(`  ${k}: ${e[k]}`);
  }
  return parts.join('\ncaused by: ');
}

const pool = new pg.Pool({ connectionString: url, max: 1 });
let exitCode = 0;
try {
  const plan = JSON.parse(planJson);
  const load = async (file) => {
    const m = await import(pathToFileURL(path.resolve(dir, file)).href);
    // tsx may expose a CommonJS-compiled module's exports under `default` as well; keep named ones.
    const { default: _ignored, ...named } = m;
    return named;
  };
  const schema = await load('schema.ts');
  const relations = fs.existsSync(path.join(dir, 'relations.ts')) ? await load('relations.ts') : {};
  const db = drizzle(pool, { schema: { ...schema, ...relations } });
  const q = db.query[plan.table];
  if (!q) {
    throw new Error(`no table export "${plan.table}" in db.query (have: ${Object.keys(db.query).join(', ')})`);
  }
  const opts = {};
  if (plan.with) opts.with = plan.with;
  if (plan.limit != null) opts.limit = plan.limit;
  if (Array.isArray(plan.orderBy) && plan.orderBy.length) {
    opts.orderBy = (t) => plan.orderBy.map((k) => {
      if (!t[k]) throw new Error(`orderBy: no column "${k}" in ${plan.table}`);
      return asc(t[k]);
    });
  }
  const rows = await q.findMany(opts);
  const replacer = function (key, value) {
    const raw = this[key];
    if (typeof raw === 'bigint') return raw.toString();
    if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : raw.toISOString();
    if (Buffer.isBuffer(raw)) return raw.toString('hex');
    return value;
  };
  process.stdout.write(JSON.stringify(rows, replacer) + '\n');
} catch (err) {
  console.error(describe(err));
  exitCode = 1;
} finally {
  await pool.end().catch(() => {});
}
process.exit(exitCode);
