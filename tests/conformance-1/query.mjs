// Relational queries (RQB v2) with drizzle-orm 1.0 on the schema.ts / relations.ts of a
// drizzle-port `--drizzle 1` output folder, against PostgreSQL (node-postgres) or SQLite / libSQL
// (@libsql/client). The 1.0 twin of tests/conformance/query.mjs: drizzle-orm 1.0 takes
// `drizzle({ client, relations })` (from relations.ts's `defineRelations`) instead of `{ schema }`,
// and its `with` / `orderBy` are plain objects, so a plan passes them through as JSON.
// Must be run with tsx (it imports .ts):
//
//   node_modules/.bin/tsx query.mjs <postgresql|sqlite> <dir containing schema.ts relations.ts> <url> '<plan JSON>'
//
// plan: {"insert": [{"table": "<export name>", "values": {…} | [{…}, …]}, …] (optional, run first,
//        in order, through drizzle),
//        "queries": [{"table": "<export name>", "with": {…}, "orderBy": {…} | ["<key>", …],
//                     "where": {…}, "limit": N}, …]}
//       or a single query's fields at the top level ("table", "with", …) as in the 0.45 script.
// Insert values may use {"$date": "<ISO>"}, {"$bigint": "<digits>"}, {"$hex": "<hex>"}.
// stdout: one JSON document: the rows of each query (an array of row arrays for "queries", the
// rows for a single query); bigint → string, Date → ISO string, bytes → hex string.
// Exit 1 with the error on stderr on failure, 2 on bad usage.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

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
    return { connect: (relations) => drizzle({ client: pool, relations }), close: () => pool.end() };
  },
  sqlite: async () => {
    const { createClient } = await import('@libsql/client');
    const { drizzle } = await import('drizzle-orm/libsql');
    const client = createClient({ url });
    return { connect: (relations) => drizzle({ client, relations }), close: async () => client.close() };
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
  // Importing relations.ts runs defineRelations, which resolves every relation eagerly.
  const { relations } = await load('relations.ts');
  if (!relations) throw new Error('relations.ts exports no `relations`');
  const db = driver.connect(relations);
  for (const step of plan.insert ?? []) {
    const table = schema[step.table];
    if (!table) throw new Error(`insert: no table export "${step.table}" in schema.ts`);
    await db.insert(table).values(revive(step.values));
  }
  const run = async (query) => {
    const q = db.query[query.table];
    if (!q) {
      throw new Error(`no table export "${query.table}" in db.query (have: ${Object.keys(db.query).join(', ')})`);
    }
    const opts = {};
    if (query.with) opts.with = query.with;
    if (query.where) opts.where = query.where;
    if (query.limit != null) opts.limit = query.limit;
    if (Array.isArray(query.orderBy)) {
      opts.orderBy = Object.fromEntries(query.orderBy.map((k) => [k, 'asc']));
    } else if (query.orderBy) {
      opts.orderBy = query.orderBy;
    }
    return q.findMany(opts);
  };
  const result = Array.isArray(plan.queries)
    ? await plan.queries.reduce(async (acc, query) => [...(await acc), await run(query)], Promise.resolve([]))
    : plan.table ? await run(plan) : null;
  const replacer = function (key, value) {
    const raw = this[key];
    if (typeof raw === 'bigint') return raw.toString();
    if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : raw.toISOString();
    // pg returns Buffers, libsql plain Uint8Arrays (a Buffer is one too).
    if (raw instanceof Uint8Array) return Buffer.from(raw).toString('hex');
    return value;
  };
  process.stdout.write(JSON.stringify(result, replacer) + '\n');
} catch (err) {
  console.error(describe(err));
  exitCode = 1;
} finally {
  await driver?.close().catch(() => {});
}
process.exit(exitCode);
