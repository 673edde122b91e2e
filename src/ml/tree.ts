// One regression tree, stored flat (parallel arrays) for fast prediction and exact JSON round trips.
import type { Matrix } from './matrix.js';

export interface Tree {
  /** Split feature per node; -1 marks a leaf. */
  feature: number[];
  /** Go left when x <= threshold. */
  threshold: number[];
  /** The same split as a bin index, for predicting on binned training data. */
  bin: number[];
  left: number[];
  right: number[];
  /** Where rows with a missing value go. */
  missingLeft: boolean[];
  /** Leaf output (already scaled by the learning rate); 0 for split nodes. */
  value: number[];
  /** Loss reduction of each split (for importance); 0 for leaves. */
  gain: number[];
}

export function emptyTree(): Tree {
  return { feature: [], threshold: [], bin: [], left: [], right: [], missingLeft: [], value: [], gain: [] };
}

export function addNode(t: Tree): number {
  t.feature.push(-1);
  t.threshold.push(0);
  t.bin.push(0);
  t.left.push(-1);
  t.right.push(-1);
  t.missingLeft.push(false);
  t.value.push(0);
  t.gain.push(0);
  return t.feature.length - 1;
}

/** The leaf value for row `i` of a raw matrix. */
export function predictRow(t: Tree, x: Matrix, i: number): number {
  const base = i * x.cols;
  let n = 0;
  while (t.feature[n]! >= 0) {
    const v = x.data[base + t.feature[n]!]!;
    n = Number.isNaN(v) ? (t.missingLeft[n] ? t.left[n]! : t.right[n]!) : v <= t.threshold[n]! ? t.left[n]! : t.right[n]!;
  }
  return t.value[n]!;
}

/** The leaf value for row `i` of row-major binned data (bin `missingBin[f]` means missing). */
export function predictBinnedRow(t: Tree, rowBins: Uint8Array, cols: number, missingBin: Uint16Array, i: number): number {
  let n = 0;
  const base = i * cols;
  while (t.feature[n]! >= 0) {
    const f = t.feature[n]!;
    const b = rowBins[base + f]!;
    n = b === missingBin[f] ? (t.missingLeft[n] ? t.left[n]! : t.right[n]!) : b <= t.bin[n]! ? t.left[n]! : t.right[n]!;
  }
  return t.value[n]!;
}
