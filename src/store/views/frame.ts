// Column frames: training data as columns (numbers in Float64Arrays) for callers that asked for `returnType: 'columns'`.
import type { FeatureValue, Row } from '../types.js';

/** One column: numbers as a Float64Array (NaN where missing), other types as values (null where missing). */
export type FrameColumn = Float64Array | FeatureValue[];

/** Rows as columns, in the query's row order. */
export interface Frame {
  names: string[];
  rowCount: number;
  columns: Record<string, FrameColumn>;
}

/** Rows or columns: what a training data call returns. */
export type RowsOrColumns = 'rows' | 'columns';

/** A column read from the store: typed numbers, or values. */
export type StoredColumn = Float64Array | readonly unknown[];

/** The value of row `i`, with a typed column's NaN given back as null. */
export function valueAt(column: StoredColumn | undefined, i: number): FeatureValue {
  if (column === undefined) return null;
  const v = column[i] as FeatureValue | undefined;
  return v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? null : v;
}

/** Whether `index` is 0..n-1 of an n-row column: then the column is the result as it is, without a copy. */
function isWhole(index: readonly number[], length: number): boolean {
  return index.length === length && (length === 0 || (index[0] === 0 && index[length - 1] === length - 1));
}

/** Rows `index` of a column, in that order (the column itself when `index` is every row in order). */
export function gather(column: StoredColumn | undefined, index: readonly number[]): FrameColumn {
  if (column === undefined) return new Array<FeatureValue>(index.length).fill(null);
  if (column instanceof Float64Array) {
    if (isWhole(index, column.length)) return column;
    const out = new Float64Array(index.length);
    for (let k = 0; k < index.length; k++) out[k] = column[index[k]!]!;
    return out;
  }
  const values = column as readonly FeatureValue[];
  if (isWhole(index, values.length)) return values as FeatureValue[];
  return index.map((i) => values[i] ?? null);
}

/** A frame of the named columns at rows `index`. */
export function frameOf(column: (name: string) => StoredColumn | undefined, names: readonly string[], index: readonly number[]): Frame {
  return { names: [...names], rowCount: index.length, columns: Object.fromEntries(names.map((n) => [n, gather(column(n), index)])) };
}

/** Row `i` of a frame as an object (for code that wants one row at a time). */
export function frameRow(frame: Frame, i: number): Row {
  const row: Row = {};
  for (const n of frame.names) row[n] = valueAt(frame.columns[n], i);
  return row;
}
