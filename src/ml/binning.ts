// Feature binning for histogram boosting: per feature, up to 254 cut points from the values' quantiles, plus a bin for missing.
import type { Matrix } from './matrix.js';

/** Per feature, sorted cut points: a value falls in the first bin b with x <= cuts[b], else in bin cuts.length. */
export type Cuts = Float64Array[];

export const MAX_BINS = 255;

/** Cut points from the distinct values of each column (midpoints when few, quantiles when many). */
export function computeCuts(x: Matrix, maxBins = MAX_BINS): Cuts {
  const valueBins = Math.max(2, Math.min(MAX_BINS, maxBins)) - 1; // one bin index stays free for "missing"
  const cuts: Cuts = [];
  const column = new Float64Array(x.rows);
  for (let j = 0; j < x.cols; j++) {
    let n = 0;
    for (let i = 0; i < x.rows; i++) {
      const v = x.data[i * x.cols + j]!;
      if (!Number.isNaN(v)) column[n++] = v;
    }
    const { distinct, counts } = distinctCounts(column, n);
    const c: number[] = [];
    if (distinct.length <= valueBins) {
      for (let k = 0; k + 1 < distinct.length; k++) c.push((distinct[k]! + distinct[k + 1]!) / 2);
    } else {
      // Equal-count bins over the distinct values, weighted by how often each occurs.
      let seen = 0;
      let next = n / valueBins;
      for (let k = 0; k + 1 < distinct.length; k++) {
        seen += counts[k]!;
        if (seen >= next) {
          c.push((distinct[k]! + distinct[k + 1]!) / 2);
          while (next <= seen) next += n / valueBins;
          if (c.length === valueBins - 1) break;
        }
      }
    }
    cuts.push(Float64Array.from(c));
  }
  return cuts;
}

/** Counting distinct values in a Map beats sorting every value while there are at most this many. */
const FEW_DISTINCT = 4096;

/**
 * The distinct values of values[0, n) in increasing order, with how often each occurs. Measured columns are often
 * rounded (few distinct values): those are counted, and only the distinct values sorted; others are sorted whole.
 * Either way the same result (-0 and 0 count as one value, as when sorted).
 */
function distinctCounts(values: Float64Array, n: number): { distinct: Float64Array; counts: Float64Array } {
  const seen = new Map<number, number>();
  for (let i = 0; i < n && seen.size <= FEW_DISTINCT; i++) seen.set(values[i]!, (seen.get(values[i]!) ?? 0) + 1);
  if (seen.size <= FEW_DISTINCT) {
    const distinct = Float64Array.from(seen.keys()).sort();
    return { distinct, counts: Float64Array.from(distinct, (v) => seen.get(v)!) };
  }
  const sorted = values.subarray(0, n).slice().sort();
  const distinct = new Float64Array(n);
  const counts = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) {
      distinct[m] = sorted[i]!;
      counts[m++] = 1;
    } else counts[m - 1]!++;
  }
  return { distinct: distinct.subarray(0, m), counts: counts.subarray(0, m) };
}

/** The bin of x: 0..cuts.length for values, cuts.length + 1 for missing. */
export function binOf(cuts: Float64Array, x: number): number {
  if (Number.isNaN(x)) return cuts.length + 1;
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= cuts[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The matrix as bins, column-major (one feature's bins contiguous), for histogram building. */
export function binMatrix(x: Matrix, cuts: Cuts): Uint8Array {
  const out = new Uint8Array(x.rows * x.cols);
  for (let j = 0; j < x.cols; j++) {
    const c = cuts[j]!;
    const base = j * x.rows;
    for (let i = 0; i < x.rows; i++) out[base + i] = binOf(c, x.data[i * x.cols + j]!);
  }
  return out;
}
