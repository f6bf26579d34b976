// duckdb-bench.mjs: the DuckDB competitor of scripts/bench --leak. It asks
// DuckDB leakprov's question on genbench's fixtures: per source, how many of
// the sample's records have their phone in the source.
//
//   node scripts/duckdb-bench.mjs raw   SAMPLE.csv SRC.csv...   # straight from the CSVs
//   node scripts/duckdb-bench.mjs build DB SRC.csv...           # prebuild the database
//   node scripts/duckdb-bench.mjs query DB SAMPLE.csv           # ask the prebuilt database
//
// raw and query print one JSON line {"mode", "total", "hits": {SOURCE: n}},
// SOURCE being the CSV's base name without .csv (src-1, …); build prints
// {"mode", "tables"}. The database holds one table per source with one
// column, phone BIGINT (the E.164 digits after "+"), distinct and sorted.
// The sample is read once into a temporary table in both query modes, so
// each per-source count is one semi-join.
//
// @duckdb/node-api is loaded from $LEAKPROV_DUCKDB_PREFIX/node_modules
// (scripts/bench installs it there with npm install --prefix), or from the
// usual module resolution when the variable is unset.
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';

const prefix = process.env.LEAKPROV_DUCKDB_PREFIX;
const require = createRequire(prefix ? join(resolve(prefix), 'node_modules', '') + '/' : import.meta.url);
const { DuckDBInstance } = require('@duckdb/node-api');

// The fixtures' columns, all text: nothing is left to the CSV sniffer.
const columns = "{'name': 'VARCHAR', 'phone': 'VARCHAR', 'email': 'VARCHAR', 'birth_date': 'VARCHAR', 'national_id': 'VARCHAR'}";

const lit = (s) => "'" + s.replaceAll("'", "''") + "'";
const ident = (s) => '"' + s.replaceAll('"', '""') + '"';
const csv = (path) => `read_csv(${lit(path)}, header = true, delim = ',', quote = '"', columns = ${columns})`;
const sourceName = (path) => basename(path).replace(/\.csv$/, '');

async function scalar(conn, sql) {
  const rows = (await conn.runAndReadAll(sql)).getRows();
  return Number(rows[0][0]);
}

async function main(argv) {
  const [mode, ...args] = argv;
  if (mode === 'raw' && args.length >= 2) {
    const [sample, ...sources] = args;
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(`CREATE TEMP TABLE sample AS SELECT phone FROM ${csv(sample)}`);
    const out = { mode, total: await scalar(conn, 'SELECT count(*) FROM sample'), hits: {} };
    for (const src of sources) {
      out.hits[sourceName(src)] = await scalar(conn,
        `SELECT count(*) FROM sample WHERE phone IN (SELECT phone FROM ${csv(src)})`);
    }
    return out;
  }
  if (mode === 'build' && args.length >= 2) {
    const [path, ...sources] = args;
    const db = await DuckDBInstance.create(path);
    const conn = await db.connect();
    const tables = [];
    for (const src of sources) {
      const t = sourceName(src);
      await conn.run(`CREATE OR REPLACE TABLE ${ident(t)} AS
        SELECT DISTINCT CAST(substr(phone, 2) AS BIGINT) AS phone FROM ${csv(src)} ORDER BY phone`);
      tables.push(t);
    }
    await conn.run('CHECKPOINT');
    return { mode, tables };
  }
  if (mode === 'query' && args.length === 2) {
    const [path, sample] = args;
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(`ATTACH ${lit(path)} AS src (READ_ONLY)`);
    await conn.run(`CREATE TEMP TABLE sample AS SELECT CAST(substr(phone, 2) AS BIGINT) AS phone FROM ${csv(sample)}`);
    const out = { mode, total: await scalar(conn, 'SELECT count(*) FROM sample'), hits: {} };
    const tables = (await conn.runAndReadAll(
      "SELECT table_name FROM duckdb_tables() WHERE database_name = 'src' ORDER BY table_name")).getRows().map((r) => r[0]);
    for (const t of tables) {
      out.hits[t] = await scalar(conn,
        `SELECT count(*) FROM sample WHERE phone IN (SELECT phone FROM src.main.${ident(t)})`);
    }
    return out;
  }
  throw new Error('usage: duckdb-bench.mjs raw SAMPLE SRC... | build DB SRC... | query DB SAMPLE');
}

try {
  console.log(JSON.stringify(await main(process.argv.slice(2))));
} catch (e) {
  console.error('duckdb-bench:', e.message);
  process.exit(2);
}
