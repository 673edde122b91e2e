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
  /** Training rows that reached each node (for explanations: a node's expected value weighs its children by cover). */
  cover: number[];
}

export function emptyTree(): Tree {
  return { feature: [], threshold: [], bin: [], left: [], right: [], missingLeft: [], value: [], gain: [], cover: [] };
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
  t.cover.push(0);
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

/** Each node's expected output: leaves their value, splits the cover-weighted mean of their children. */
export function expectedValues(t: Tree): number[] {
  const e = new Array<number>(t.feature.length).fill(0);
  const visit = (n: number): number => {
    if (t.feature[n]! < 0) return (e[n] = t.value[n]!);
    const l = visit(t.left[n]!);
    const r = visit(t.right[n]!);
    const cl = t.cover[t.left[n]!] ?? 0;
    const cr = t.cover[t.right[n]!] ?? 0;
    return (e[n] = cl + cr > 0 ? (cl * l + cr * r) / (cl + cr) : (l + r) / 2);
  };
  if (t.feature.length > 0) visit(0);
  return e;
}

/**
 * Adds row i's per-feature contributions of this tree to `out` (Saabas path attribution: each split
 * on the path credits its feature with the change in expected value) and returns the root's
 * expected value: root + Σ contributions = the tree's output for the row.
 */
export function pathContributions(t: Tree, expected: number[], x: Matrix, i: number, out: Float64Array): number {
  const base = i * x.cols;
  let n = 0;
  while (t.feature[n]! >= 0) {
    const f = t.feature[n]!;
    const v = x.data[base + f]!;
    const next = Number.isNaN(v) ? (t.missingLeft[n] ? t.left[n]! : t.right[n]!) : v <= t.threshold[n]! ? t.left[n]! : t.right[n]!;
    out[f] = out[f]! + expected[next]! - expected[n]!;
    n = next;
  }
  return expected[0] ?? 0;
}
