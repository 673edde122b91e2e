// Columns held in memory (training data after its transformations) written to a file by DuckDB's own writer, via an in-memory table.
import type { FeatureType } from '../types.js';
import { copySql, type FileFormat } from './copy.js';
import { duckdb, type DuckDB } from './duckdb.js';
import { CHUNK_ROWS, ident, toDuckValue } from './values.js';

const { BIGINT, BOOLEAN, DATE, DOUBLE, DuckDBDataChunk, DuckDBInstance, FLOAT, LIST, listValue, TIMESTAMP, VARCHAR } = duckdb;
type DuckDBType = DuckDB.DuckDBType;
type DuckDBValue = DuckDB.DuckDBValue;
type DuckDBConnection = DuckDB.DuckDBConnection;

/** One column: numbers as a Float64Array (NaN where missing) or values (null where missing). */
export interface FileColumn {
  name: string;
  type: FeatureType;
  values: Float64Array | readonly unknown[];
}

/** The column's type in the written file (a vector is a list of FLOAT: its length is the data's). */
export const FILE_TYPE: Record<FeatureType, { sql: string; duck: DuckDBType }> = {
  string: { sql: 'VARCHAR', duck: VARCHAR },
  int: { sql: 'BIGINT', duck: BIGINT },
  float: { sql: 'DOUBLE', duck: DOUBLE },
  bool: { sql: 'BOOLEAN', duck: BOOLEAN },
  date: { sql: 'DATE', duck: DATE },
  timestamp: { sql: 'TIMESTAMP', duck: TIMESTAMP },
  vector: { sql: 'FLOAT[]', duck: LIST(FLOAT) },
};

function duckValue(type: FeatureType, v: unknown): DuckDBValue {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return null;
  if (type === 'vector') return listValue((v as number[]).map(Number));
  if (type === 'float' || type === 'string' || type === 'bool') return v as number | string | boolean;
  return toDuckValue(type, v as string | number);
}

async function append(conn: DuckDBConnection, columns: readonly FileColumn[], rowCount: number): Promise<void> {
  const types = columns.map((c) => FILE_TYPE[c.type].duck);
  const appender = await conn.createAppender('t');
  try {
    for (let start = 0; start < rowCount; start += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, rowCount - start);
      const chunk = DuckDBDataChunk.create(types, n);
      columns.forEach((c, k) => {
        const vector = chunk.getColumnVector(k);
        for (let i = 0; i < n; i++) vector.setItem(i, duckValue(c.type, c.values[start + i]));
        vector.flush();
      });
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** Writes `rowCount` rows of `columns` into `file`; returns the rows DuckDB wrote. */
export async function writeColumnsFile(columns: readonly FileColumn[], rowCount: number, file: string, format: FileFormat): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run(`CREATE TABLE t (${columns.map((c) => `${ident(c.name)} ${FILE_TYPE[c.type].sql}`).join(', ')})`);
    await append(conn, columns, rowCount);
    return Number((await conn.run(copySql('SELECT * FROM t', file, format))).rowsChanged);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
