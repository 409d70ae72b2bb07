// Imports the relations.ts of each folder with drizzle-orm 1.0 (run with tsx: it imports .ts) and
// builds a database object from it, without connecting: `defineRelations` resolves every relation
// when relations.ts is imported and throws on one it cannot resolve, and drizzle() reads them.
//
//   node_modules/.bin/tsx load-relations.mjs <postgresql|sqlite> <dir> [<dir> …]
//
// stdout: {"<dir>": null | "<error>", …}, one folder's failure never stopping the others.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [dialect, ...dirs] = process.argv.slice(2);
const drivers = {
  postgresql: async () => (await import('drizzle-orm/node-postgres')).drizzle,
  sqlite: async () => (await import('drizzle-orm/libsql')).drizzle,
};
if (!Object.hasOwn(drivers, dialect ?? '') || dirs.length === 0) {
  console.error('usage: tsx load-relations.mjs <postgresql|sqlite> <dir> [<dir> …]');
  process.exit(2);
}
const drizzle = await drivers[dialect]();

const report = {};
for (const dir of dirs) {
  try {
    const m = await import(pathToFileURL(path.resolve(dir, 'relations.ts')).href);
    const relations = m.relations ?? m.default?.relations;
    if (!relations) throw new Error('relations.ts exports no `relations`');
    const db = drizzle.mock({ relations });
    if (typeof db.query !== 'object') throw new Error('drizzle() built no query API');
    report[dir] = null;
  } catch (err) {
    report[dir] = String(err?.stack ?? err);
  }
}
process.stdout.write(JSON.stringify(report) + '\n');
