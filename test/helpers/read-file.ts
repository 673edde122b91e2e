// Reads a parquet, csv or json file back with DuckDB (a fresh in-memory database), as rows of plain JSON values (BIGINT as numbers).
import { DuckDBInstance, DuckDBTypeId } from '@duckdb/node-api';

const READER = { parquet: 'read_parquet', csv: 'read_csv', json: 'read_json' } as const;

export async function readFileRows(file: string, format: keyof typeof READER): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const reader = await conn.runAndReadAll(`SELECT * FROM ${READER[format]}('${file.replaceAll("'", "''")}')`);
    const bigints = reader.columnNames().filter((_, i) => reader.columnTypes()[i]!.typeId === DuckDBTypeId.BIGINT);
    return reader.getRowObjectsJson().map((row) => {
      const out: Record<string, unknown> = { ...row };
      for (const c of bigints) out[c] = out[c] === null ? null : Number(out[c]);
      return out;
    });
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** The column names and DuckDB types of a file, in order. */
export async function fileColumns(file: string, format: keyof typeof READER): Promise<[string, string][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const reader = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${READER[format]}('${file.replaceAll("'", "''")}')`);
    return reader.getRowObjectsJson().map((r) => [String(r.column_name), String(r.column_type)]);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
