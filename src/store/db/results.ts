// Reading DuckDB results into JavaScript: row objects, columns (numbers in Float64Arrays), or chunk by chunk.
import { duckdb, type DuckDB } from './duckdb.js';
import { columnConverter } from './values.js';

const { DuckDBTypeId } = duckdb;
type DuckDBTypeId = DuckDB.DuckDBTypeId;
type DuckDBConnection = DuckDB.DuckDBConnection;
type DuckDBValue = DuckDB.DuckDBValue;
type DuckDBType = DuckDB.DuckDBType;
type DuckDBDataChunk = DuckDB.DuckDBDataChunk;

export type Params = DuckDBValue[];
export type ResultRow = Record<string, unknown>;

/** Reads a result chunk by chunk, straight into `visit(columnIndex, rowIndex, value)`. */
async function readChunks(
  conn: DuckDBConnection,
  sql: string,
  params: Params | undefined,
  start: (names: string[], rowCount: number, types: DuckDBType[]) => void,
  visit: (c: number, r: number, value: unknown) => void,
): Promise<void> {
  const result = await conn.run(sql, params);
  const names = result.columnNames();
  const types = result.columnTypes();
  const converters = types.map(columnConverter);
  const chunks = [];
  let total = 0;
  for (let i = 0; i < result.chunkCount; i++) {
    const chunk = result.getChunk(i);
    chunks.push(chunk);
    total += chunk.rowCount;
  }
  start(names, total, types);
  let offset = 0;
  for (const chunk of chunks) {
    visitChunk(chunk, converters, offset, visit);
    offset += chunk.rowCount;
  }
}

/** Every value of one chunk, converted, column by column: `visit(columnIndex, offset + rowInChunk, value)`. */
function visitChunk(
  chunk: DuckDBDataChunk,
  converters: ((v: DuckDBValue) => unknown)[],
  offset: number,
  visit: (c: number, r: number, value: unknown) => void,
): void {
  for (let c = 0; c < converters.length; c++) {
    const vector = chunk.getColumnVector(c);
    const convert = converters[c]!;
    for (let r = 0; r < chunk.rowCount; r++) visit(c, offset + r, convert(vector.getItem(r)));
  }
}

export async function readAll(conn: DuckDBConnection, sql: string, params?: Params): Promise<ResultRow[]> {
  let rows: ResultRow[] = [];
  let names: string[] = [];
  await readChunks(
    conn,
    sql,
    params,
    (n, count) => {
      names = n;
      rows = Array.from({ length: count }, () => ({}));
    },
    (c, r, v) => {
      rows[r]![names[c]!] = v;
    },
  );
  return rows;
}

/**
 * Column name -> values, for large reads that do not need one object per row. With `typed`, numeric columns are
 * Float64Arrays (NaN where the value is missing), read straight from DuckDB's vectors; other columns are arrays.
 */
export type ResultColumns = { names: string[]; rowCount: number; values: (unknown[] | Float64Array)[] };

const NUMERIC = new Set<DuckDBTypeId>([
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UTINYINT,
]);

export async function readColumns(conn: DuckDBConnection, sql: string, params: Params | undefined, typed: boolean): Promise<ResultColumns> {
  const out: ResultColumns = { names: [], rowCount: 0, values: [] };
  let isTyped: boolean[] = [];
  await readChunks(
    conn,
    sql,
    params,
    (names, count, types) => {
      isTyped = types.map((t) => typed && NUMERIC.has(t.typeId));
      Object.assign(out, { names, rowCount: count, values: names.map((_, c) => (isTyped[c] ? new Float64Array(count) : new Array<unknown>(count))) });
    },
    // A numeric column's converter gives a number or null; in a Float64Array null is NaN.
    (c, r, v) => (out.values[c]![r] = isTyped[c] && v === null ? NaN : v),
  );
  return out;
}

/**
 * Streams a result in DuckDB's chunks (2,048 rows) as row objects, one chunk at a time, so a large read
 * (loading an online table) never holds more than one chunk of JavaScript objects.
 */
export async function streamRows(conn: DuckDBConnection, sql: string, params: Params | undefined, onRows: (rows: ResultRow[]) => void): Promise<void> {
  const result = await conn.stream(sql, params);
  const names = result.columnNames();
  const converters = result.columnTypes().map(columnConverter);
  for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const rows: ResultRow[] = Array.from({ length: chunk.rowCount }, () => ({}));
    visitChunk(chunk, converters, 0, (c, r, v) => (rows[r]![names[c]!] = v));
    onRows(rows);
  }
}
