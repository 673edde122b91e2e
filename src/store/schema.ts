// Feature schemas: checking and normalising input values by type, inferring a schema, and schema evolution rules.
import { formatIsoDate, isIsoDate } from '../core/dates.js';
import { ConflictError, ValidationError } from '../core/errors.js';
import type { FeatureSpec, FeatureType, FeatureValue, InputRow, InputValue, Row } from './types.js';

/** Returned by `normalizeValue` when a value does not fit its type. */
export const INVALID = Symbol('invalid');

const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

function timestampFromString(s: string): string | typeof INVALID {
  if (!TIMESTAMP_TEXT.test(s)) return INVALID;
  // A timestamp without a zone is taken as UTC: the store keeps every instant in UTC.
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(s) && s.length > 10;
  const text = s.length === 10 ? `${s}T00:00:00Z` : hasZone ? s.replace(' ', 'T') : `${s.replace(' ', 'T')}Z`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? INVALID : new Date(ms).toISOString();
}

/** The stored form of `v` for a column of type `type`, null for missing, or INVALID. */
export function normalizeValue(type: FeatureType, v: InputValue): FeatureValue | typeof INVALID {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'string':
      return typeof v === 'string' ? v : INVALID;
    case 'float':
      if (typeof v === 'number') return Number.isFinite(v) ? v : INVALID;
      if (typeof v === 'bigint') return Number(v);
      return INVALID;
    case 'int':
      if (typeof v === 'number') return Number.isSafeInteger(v) ? v : INVALID;
      if (typeof v === 'bigint') {
        return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : INVALID;
      }
      return INVALID;
    case 'bool':
      return typeof v === 'boolean' ? v : INVALID;
    case 'date':
      if (typeof v === 'string') return isIsoDate(v) ? v : INVALID;
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? INVALID : formatIsoDate(v);
      return INVALID;
    case 'timestamp':
      if (typeof v === 'string') return timestampFromString(v);
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? INVALID : v.toISOString();
      return INVALID;
    case 'vector': {
      if (!(Array.isArray(v) || v instanceof Float32Array || v instanceof Float64Array)) return INVALID;
      const out = Array.from(v as ArrayLike<number>);
      // Stored as float32: round now so that what is read back equals what the index holds.
      for (let i = 0; i < out.length; i++) {
        if (typeof out[i] !== 'number' || !Number.isFinite(out[i])) return INVALID;
        out[i] = Math.fround(out[i]!);
      }
      return out;
    }
  }
}

function describeValue(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return `${v} (use null for a missing value)`;
  const text = typeof v === 'string' ? JSON.stringify(v) : String(v);
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return `${shown} (${v instanceof Date ? 'Date' : typeof v})`;
}

const EXPECTED: Record<FeatureType, string> = {
  string: 'a string',
  int: 'a whole number within ±2^53',
  float: 'a finite number',
  bool: 'true or false',
  date: 'a date written YYYY-MM-DD (or a Date)',
  timestamp: 'an ISO-8601 timestamp such as 2024-01-31T12:00:00Z (or a Date)',
  vector: 'an array (or Float32Array) of finite numbers',
};

/**
 * Checks every row against the schema and returns the normalised rows. Throws a ValidationError
 * naming the row and column of the first problem; nothing has been written at that point.
 */
export function normalizeRows(groupLabel: string, schema: FeatureSpec[], rows: readonly InputRow[], requiredColumns: readonly string[]): Row[] {
  const known = new Set(schema.map((f) => f.name));
  const required = schema.map((f) => requiredColumns.includes(f.name));
  const out: Row[] = new Array(rows.length);
  const values: FeatureValue[] = new Array(schema.length);
  for (let i = 0; i < rows.length; i++) {
    const input = rows[i];
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new ValidationError(`${groupLabel}: row ${i} is not an object of feature values`, { row: i });
    }
    let present = 0;
    for (const name in input) {
      if (!known.has(name)) {
        throw new ValidationError(
          `${groupLabel}: row ${i} has column "${name}", which is not in the schema; ` +
            `add it with fg.appendFeatures([{ name: "${name}", type: ... }]) or create a new version`,
          { row: i, column: name },
        );
      }
      present++;
    }
    // A row whose every schema column is present and already in stored form is used as it is (no copy):
    // the store only reads the rows it is given.
    let same = present === schema.length;
    for (let c = 0; c < schema.length; c++) {
      const f = schema[c]!;
      const raw = input[f.name];
      const v = normalizedOrInvalid(f, raw);
      if (v === INVALID) {
        throw new ValidationError(`${groupLabel}: row ${i}, column "${f.name}" (${f.type}): expected ${EXPECTED[f.type]}, got ${describeValue(raw)}`, {
          row: i,
          column: f.name,
        });
      }
      if (f.type === 'vector' && v !== null && (v as number[]).length !== f.dim) {
        throw new ValidationError(`${groupLabel}: row ${i}, column "${f.name}" (vector of ${f.dim}): got ${(v as number[]).length} numbers`, {
          row: i,
          column: f.name,
        });
      }
      if (v === null && required[c]) {
        throw new ValidationError(`${groupLabel}: row ${i}, column "${f.name}" is a primary key or event time and must not be null`, {
          row: i,
          column: f.name,
        });
      }
      if (v !== raw) same = false;
      values[c] = v;
    }
    if (same) out[i] = input as Row;
    else {
      const row: Row = {};
      for (let c = 0; c < schema.length; c++) row[schema[c]!.name] = values[c]!;
      out[i] = row;
    }
  }
  return out;
}

/** normalizeValue with fast paths for the common cases: a finite number, a string, a valid ISO date. */
function normalizedOrInvalid(f: FeatureSpec, raw: InputValue): FeatureValue | typeof INVALID {
  switch (f.type) {
    case 'float':
      if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
      break;
    case 'string':
      if (typeof raw === 'string') return raw;
      break;
    case 'date':
      if (typeof raw === 'string' && isIsoDate(raw)) return raw;
      break;
  }
  return normalizeValue(f.type, raw);
}

function inferType(v: InputValue): FeatureType | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'boolean') return 'bool';
  // JS has one number type; floats are the safe guess (declare a schema for ints).
  if (typeof v === 'number') return 'float';
  if (typeof v === 'bigint') return 'int';
  if (v instanceof Date) return 'timestamp';
  if (Array.isArray(v) || v instanceof Float32Array || v instanceof Float64Array) return 'vector';
  if (isIsoDate(v)) return 'date';
  if (v.length > 10 && timestampFromString(v) !== INVALID) return 'timestamp';
  return 'string';
}

/** A schema from the first batch: each column's type from its first non-null value. */
export function inferSchema(groupLabel: string, rows: readonly InputRow[]): FeatureSpec[] {
  const types = new Map<string, FeatureType | undefined>();
  const dims = new Map<string, number>();
  for (const row of rows) {
    if (row === null || typeof row !== 'object') continue;
    for (const [name, v] of Object.entries(row)) {
      if (types.get(name) === undefined) {
        types.set(name, inferType(v));
        if (types.get(name) === 'vector') dims.set(name, (v as ArrayLike<number>).length);
      }
    }
  }
  const schema: FeatureSpec[] = [];
  for (const [name, type] of types) {
    if (type === undefined) {
      throw new ValidationError(
        `${groupLabel}: cannot infer the type of column "${name}" because every value in the first insert is null; ` +
          'pass an explicit schema to getOrCreateFeatureGroup',
        { column: name },
      );
    }
    schema.push(type === 'vector' ? { name, type, dim: dims.get(name)! } : { name, type });
  }
  return schema;
}

/**
 * Compares a requested schema with the stored one. Columns added later by appendFeatures may be
 * absent from the request; any other difference is a breaking change and needs a new version.
 */
export function schemaDifferences(stored: FeatureSpec[], requested: FeatureSpec[]): string[] {
  const diffs: string[] = [];
  const byName = new Map(stored.map((f) => [f.name, f]));
  for (const f of requested) {
    const s = byName.get(f.name);
    if (!s) diffs.push(`column "${f.name}" is not in the stored schema`);
    else if (s.type !== f.type) diffs.push(`column "${f.name}" is ${s.type} in the store, ${f.type} in the request`);
    else if (s.dim !== f.dim) diffs.push(`column "${f.name}" has dim ${s.dim} in the store, ${f.dim} in the request`);
  }
  return diffs;
}

export function assertAppendable(groupLabel: string, stored: readonly FeatureSpec[], added: readonly FeatureSpec[]): void {
  const byName = new Map(stored.map((f) => [f.name, f]));
  for (const f of added) {
    const s = byName.get(f.name);
    if (s && s.type !== f.type) {
      throw new ConflictError(
        `${groupLabel}: changing column "${f.name}" from ${s.type} to ${f.type} is a breaking change; ` + 'create a new version of the feature group instead',
        { column: f.name },
      );
    }
  }
}
