// Run drizzle queries using the schema.ts / relations.ts of a drizzle-port output folder, against
// PostgreSQL (drizzle-orm's node-postgres driver) or SQLite / libSQL (drizzle-orm's libsql driver).
// One script for both dialects: only the driver differs. Must be run with tsx (it imports .ts):
//
//   node_modules/.bin/tsx query.mjs <postgresql|sqlite> <dir containing schema.ts [relations.ts]> <url> '<plan JSON>'
//
// url: a postgres:// URL for `postgresql`, a libsql URL (file:…, http://…) for `sqlite`.
// plan: {"insert": [{"table": "<export name>", "values": {…} | [{…}, …]}, …] (optional, run first,
//        through drizzle, so the columns' toDriver conversions are used),
//        "table": "<export name of the table>", "with": {…findMany `with`…},
//        "orderBy": ["<column key>", …] (optional, ascending), "limit": N (optional)}
// Insert values may use {"$date": "<ISO>"}, {"$bigint": "<digits>"}, {"$hex": "<hex>"} for Date,
// bigint and Buffer values.
// stdout: the rows of the relational query as one JSON document (bigint → string, Date → ISO
// string, Buffer → hex string). Exit 1 with the error on stderr on failure, 2 on bad usage.
import path from 'node:path';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { asc } from 'drizzle-orm';

const usage = "usage: tsx query.mjs <postgresql|sqlite> <dir> <url> '<plan JSON>'";
const [dialect, dir, url, planJson] = process.argv.slice(2);
if (!dialect || !dir || !url || !planJson) {
  console.error(usage);
  process.exit(2);
}

// Each driver is imported only for its own dialect, so a PostgreSQL run never loads libsql.
const drivers = {
  postgresql: async () => {
    const { default: pg } = await import('pg');
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    return { connect: (schema) => drizzle(pool, { schema }), close: () => pool.end() };
  },
  sqlite: async () => {
    const { createClient } = await import('@libsql/client');
    const { drizzle } = await import('drizzle-orm/libsql');
    const client = createClient({ url });
    return { connect: (schema) => drizzle(client, { schema }), close: async () => client.close() };
  },
};
if (!Object.hasOwn(drivers, dialect)) {
  console.error(`unknown dialect "${dialect}"\n${usage}`);
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

function revive(value) {
  if (Array.isArray(value)) return value.map(revive);
  if (value && typeof value === 'object') {
    if (typeof value.$date === 'string') return new Date(value.$date);
    if (typeof value.$bigint === 'string') return BigInt(value.$bigint);
    if (typeof value.$hex === 'string') return Buffer.from(value.$hex, 'hex');
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  }
  return value;
}

let driver;
let exitCode = 0;
try {
  driver = await drivers[dialect]();
  const plan = JSON.parse(planJson);
  const load = async (file) => {
    const m = await import(pathToFileURL(path.resolve(dir, file)).href);
    // tsx may expose a CommonJS-compiled module's exports under `default` as well; keep named ones.
    const { default: _ignored, ...named } = m;
    return named;
  };
  const schema = await load('schema.ts');
  const relations = fs.existsSync(path.join(dir, 'relations.ts')) ? await load('relations.ts') : {};
  const db = driver.connect({ ...schema, ...relations });
  for (const step of plan.insert ?? []) {
    const table = schema[step.table];
    if (!table) throw new Error(`insert: no table export "${step.table}" in schema.ts`);
    await db.insert(table).values(revive(step.values));
  }
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
    // pg returns Buffers, libsql plain Uint8Arrays (a Buffer is one too).
    if (raw instanceof Uint8Array) return Buffer.from(raw).toString('hex');
    return value;
  };
  process.stdout.write(JSON.stringify(rows, replacer) + '\n');
} catch (err) {
  console.error(describe(err));
  exitCode = 1;
} finally {
  await driver?.close().catch(() => {});
}
process.exit(exitCode);
