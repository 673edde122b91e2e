// A dense row-major matrix of float64 features; NaN marks a missing value.
import { ValidationError } from '../core/errors.js';

export interface Matrix {
  rows: number;
  cols: number;
  /** Row-major: value (i, j) is data[i * cols + j]. */
  data: Float64Array;
}

/** A matrix from row arrays; null and undefined become NaN (missing). */
export function matrixFromRows(rows: readonly (readonly (number | null | undefined)[])[], cols?: number): Matrix {
  const c = cols ?? rows[0]?.length ?? 0;
  const data = new Float64Array(rows.length * c);
  rows.forEach((r, i) => {
    if (r.length !== c) throw new ValidationError(`row ${i} has ${r.length} values, expected ${c}`);
    for (let j = 0; j < c; j++) {
      const v = r[j];
      data[i * c + j] = v === null || v === undefined ? NaN : v;
    }
  });
  return { rows: rows.length, cols: c, data };
}

export function checkMatrix(x: Matrix, y?: ArrayLike<number>): void {
  if (x.data.length !== x.rows * x.cols) throw new ValidationError(`matrix data has ${x.data.length} values, expected ${x.rows} x ${x.cols}`);
  if (y !== undefined) {
    if (y.length !== x.rows) throw new ValidationError(`${y.length} labels for ${x.rows} rows`);
    for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i])) throw new ValidationError(`label ${i} is not a finite number`);
  }
}

/** The rows `idx` of `x`, in that order, as a new matrix. */
export function takeRows(x: Matrix, idx: readonly number[]): Matrix {
  const data = new Float64Array(idx.length * x.cols);
  idx.forEach((i, k) => data.set(x.data.subarray(i * x.cols, (i + 1) * x.cols), k * x.cols));
  return { rows: idx.length, cols: x.cols, data };
}

/** Indices of the rows whose column `col` equals `value`. */
export function rowsWhere(x: Matrix, col: number, value: number): number[] {
  const idx: number[] = [];
  for (let i = 0; i < x.rows; i++) if (x.data[i * x.cols + col] === value) idx.push(i);
  return idx;
}
