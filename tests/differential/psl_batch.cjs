// Validates many schemas with Prisma's own validator (prisma-schema-wasm), loading the wasm once.
// Usage: PRISMA_NM=<node_modules> node psl_batch.cjs IN.json OUT.json
// IN: a JSON array of schema texts. OUT: a JSON array, null for a valid schema, else Prisma's
// message. `url`/`directUrl`/`shadowDatabaseUrl` and unknown preview features are removed first,
// as drizzle-port accepts them on purpose (schemas written for Prisma 5 and 6 carry them).
'use strict';
const fs = require('fs');
const path = require('path');
const wasm = require(path.join(process.env.PRISMA_NM, '@prisma/prisma-schema-wasm'));

const PREVIEW = ['fullTextSearchPostgres', 'nativeDistinct', 'partialIndexes', 'postgresqlExtensions',
  'relationJoins', 'schemaEngineDriverAdapters', 'shardKeys', 'strictUndefinedChecks', 'typedSql', 'views'];

function prepare(text) {
  const lines = text.split('\n');
  let inDatasource = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (/^\s*datasource\s+\w+\s*\{/.test(l)) inDatasource = true;
    else if (inDatasource && /^\s*\}/.test(l)) inDatasource = false;
    else if (inDatasource && /^\s*(url|directUrl|shadowDatabaseUrl)\s*=/.test(l)) lines[i] = '';
    // Keep only the preview features Prisma 7 knows (line numbers stay the same).
    lines[i] = lines[i].replace(/previewFeatures\s*=\s*\[([^\]]*)\]/, (_, list) => 'previewFeatures = [' +
      list.split(',').map(s => s.trim()).filter(s => PREVIEW.includes(s.replace(/"/g, ''))).join(', ') + ']');
  }
  return lines.join('\n');
}

const [input, output] = process.argv.slice(2);
const schemas = JSON.parse(fs.readFileSync(input, 'utf8'));
const results = schemas.map(text => {
  try {
    wasm.validate(JSON.stringify({ prismaSchema: [['schema.prisma', prepare(text)]], noColor: true }));
    return null;
  } catch (e) {
    let msg = (e && e.message) || String(e);
    try { msg = JSON.parse(msg).message; } catch (_) { /* not JSON */ }
    return msg;
  }
});
fs.writeFileSync(output, JSON.stringify(results));
