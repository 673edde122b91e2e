// Converting between the store's feature values and DuckDB's: SQL types, appender chunks, and result rows.
import { epochDaysToIsoDate, isoDateToEpochDays } from '../../core/dates.js';
import type { FeatureSpec, FeatureType, FeatureValue, Row } from '../types.js';
import { duckdb, type DuckDB } from './duckdb.js';

const {
  ARRAY,
  arrayValue,
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  FLOAT,
  DuckDBDataChunk,
  DuckDBDateValue,
  DuckDBTimestampValue,
  DuckDBArrayType,
  DuckDBListType,
  DuckDBMapType,
  DuckDBStructType,
  DuckDBTypeId,
  TIMESTAMP,
  VARCHAR,
} = duckdb;
type DuckDBListValue = DuckDB.DuckDBListValue;
type DuckDBMapValue = DuckDB.DuckDBMapValue;
type DuckDBStructValue = DuckDB.DuckDBStructValue;
type DuckDBType = DuckDB.DuckDBType;
type DuckDBValue = DuckDB.DuckDBValue;
type DuckDBValueConverter<T> = DuckDB.DuckDBValueConverter<T>;
type DuckDBDataChunk = DuckDB.DuckDBDataChunk;
type DuckDBDateValue = DuckDB.DuckDBDateValue;
type DuckDBTimestampValue = DuckDB.DuckDBTimestampValue;

const SQL_TYPE: Record<Exclude<FeatureType, 'vector'>, string> = {
  string: 'VARCHAR',
  int: 'BIGINT',
  float: 'DOUBLE',
  bool: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
};

const DUCK_TYPE: Record<Exclude<FeatureType, 'vector'>, DuckDBType> = {
  string: VARCHAR,
  int: BIGINT,
  float: DOUBLE,
  bool: BOOLEAN,
  date: DATE,
  timestamp: TIMESTAMP,
};

/** The column type in DuckDB: a vector is a fixed-size FLOAT array. */
export function sqlTypeOf(f: Pick<FeatureSpec, 'type' | 'dim'>): string {
  return f.type === 'vector' ? `FLOAT[${f.dim}]` : SQL_TYPE[f.type];
}

function duckTypeOf(f: FeatureSpec): DuckDBType {
  return f.type === 'vector' ? ARRAY(FLOAT, f.dim!) : DUCK_TYPE[f.type];
}

/** Double-quotes an identifier; names were already checked against IDENTIFIER, this guards the rest. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function toDuckValue(type: FeatureType, v: FeatureValue): DuckDBValue {
  if (v === null) return null;
  switch (type) {
    case 'int':
      return BigInt(v as number);
    case 'date':
      return new DuckDBDateValue(isoDateToEpochDays(v as string));
    case 'timestamp':
      return new DuckDBTimestampValue(BigInt(Date.parse(v as string)) * 1000n);
    case 'vector':
      return arrayValue(v as number[]);
    default:
      return v as string | number | boolean;
  }
}

export const CHUNK_ROWS = 2048;

/** Appender chunks for `rows`: first the constant BIGINT `leading` columns (commit ids), then the schema's. */
export function* toChunks(schema: FeatureSpec[], rows: readonly Row[], leading: { value: bigint | null }[] = []): Generator<DuckDBDataChunk> {
  const types = [...leading.map(() => BIGINT), ...schema.map(duckTypeOf)];
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, rows.length - start);
    const chunk = DuckDBDataChunk.create(types, n);
    leading.forEach((e, j) => chunk.setColumnValues(j, new Array(n).fill(e.value)));
    schema.forEach((f, c) => {
      // Straight into the column's vector: no intermediate array per column.
      const vector = chunk.getColumnVector(leading.length + c);
      const name = f.name;
      if (f.type === 'float' || f.type === 'string' || f.type === 'bool') {
        for (let i = 0; i < n; i++) vector.setItem(i, (rows[start + i]![name] as string | number | boolean | null) ?? null);
      } else {
        for (let i = 0; i < n; i++) vector.setItem(i, toDuckValue(f.type, rows[start + i]![name] ?? null));
      }
      vector.flush();
    });
    yield chunk;
  }
}

function millis(v: DuckDBValue): number {
  return Number((v as DuckDBTimestampValue).micros / 1000n);
}

/** DuckDB result values to feature values: dates as YYYY-MM-DD, timestamps as ISO strings, ints as numbers. */
export const featureValueConverter: DuckDBValueConverter<unknown> = (value, type, self) => {
  if (value === null) return null;
  if (type instanceof DuckDBListType || type instanceof DuckDBArrayType) {
    return (value as DuckDBListValue).items.map((item) => self(item, type.valueType, self));
  }
  if (type instanceof DuckDBStructType) {
    const entries = (value as DuckDBStructValue).entries;
    return Object.fromEntries(type.entryNames.map((name, i) => [name, self(entries[name] ?? null, type.entryTypes[i]!, self)]));
  }
  if (type instanceof DuckDBMapType) {
    return (value as DuckDBMapValue).entries.map((e) => ({
      key: self(e.key, type.keyType, self),
      value: self(e.value, type.valueType, self),
    }));
  }
  switch (type.typeId) {
    case DuckDBTypeId.DATE:
      return epochDaysToIsoDate((value as DuckDBDateValue).days);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return new Date(millis(value)).toISOString();
    case DuckDBTypeId.DECIMAL:
      return Number(String(value));
    default:
      if (typeof value === 'bigint') return Number(value);
      return typeof value === 'object' ? String(value) : value;
  }
};

/** A SQL literal for a value already normalised to `type` (for DDL such as DEFAULT, where binding is not allowed). */
export function sqlLiteral(type: FeatureType, v: FeatureValue): string {
  if (v === null) return 'NULL';
  switch (type) {
    case 'string':
      return `'${String(v).replaceAll("'", "''")}'`;
    case 'int':
    case 'float':
      return String(Number(v));
    case 'bool':
      return v ? 'TRUE' : 'FALSE';
    case 'date':
      return `DATE '${String(v)}'`;
    case 'timestamp':
      return `TIMESTAMP '${String(v).replace('T', ' ').replace('Z', '')}'`;
    case 'vector':
      return `[${(v as number[]).map(Number).join(', ')}]`;
  }
}

/**
 * A converter for one result column, chosen once from its type (the generic converter above
 * re-inspects the type for every value). Dates and timestamps repeat a lot, so their text is memoised.
 */
export function columnConverter(type: DuckDBType): (v: DuckDBValue) => unknown {
  switch (type.typeId) {
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.TINYINT:
      return (v) => v;
    case DuckDBTypeId.BIGINT:
      return (v) => (v === null ? null : Number(v as bigint));
    case DuckDBTypeId.DATE: {
      const memo = new Map<number, string>();
      return (v) => {
        if (v === null) return null;
        const days = (v as DuckDBDateValue).days;
        let s = memo.get(days);
        if (s === undefined) memo.set(days, (s = epochDaysToIsoDate(days)));
        return s;
      };
    }
    case DuckDBTypeId.TIMESTAMP: {
      const memo = new Map<bigint, string>();
      return (v) => {
        if (v === null) return null;
        const micros = (v as DuckDBTimestampValue).micros;
        let s = memo.get(micros);
        if (s === undefined) {
          s = new Date(Number(micros / 1000n)).toISOString();
          if (memo.size < 100_000) memo.set(micros, s);
        }
        return s;
      };
    }
    default:
      return (v) => featureValueConverter(v, type, featureValueConverter);
  }
}
