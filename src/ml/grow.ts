// Grows one tree on histograms of binned features, best split first (leaf-wise), with the histogram subtraction trick.
import type { HistWorkspace } from './workspace.js';
import { addNode, emptyTree, type Tree } from './tree.js';

export interface GrowParams {
  maxDepth: number;
  maxLeaves: number;
  /** Minimum rows on each side of a split (hessians are 1 for our losses, so weight = count). */
  minChildWeight: number;
  /** L2 regularisation of leaf values. */
  lambda: number;
  /** Minimum loss reduction for a split. */
  minSplitGain: number;
  learningRate: number;
}

/** Binned training data shared by every tree of a model. */
export interface BinnedData {
  /** Column-major bins: bins[f * rows + i] (partitioning reads one feature of many rows). */
  bins: Uint8Array;
  /** The same bins row-major: rowBins[i * cols + f] (histograms read many features of one row). */
  rowBins: Uint8Array;
  /**
   * Row-major too, each bin as its slot in a whole histogram (the feature's offset added, XGBoost's "global bin"):
   * the histogram of every feature reads one number per cell. Only when the histogram has fewer than 65,536 slots.
   */
  rowSlots: Uint16Array | undefined;
  rows: number;
  cols: number;
  /** Per feature, the bin that means "missing" (= number of value bins). */
  missingBin: Uint16Array;
  /** Per feature, where its bins start in a histogram. */
  offset: Uint32Array;
  histSize: number;
  cuts: Float64Array[];
}

export interface GrownLeaf {
  node: number;
  /** The leaf's rows are order[start, end). */
  start: number;
  end: number;
}

interface Split {
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
}

interface Leaf extends GrownLeaf {
  depth: number;
  g: number;
  n: number;
  /** Interleaved (sum of gradients, count) per bin. */
  hist: Float64Array;
  best: Split | undefined;
}

export function binnedData(bins: Uint8Array, rows: number, cuts: Float64Array[]): BinnedData {
  const cols = cuts.length;
  const rowBins = new Uint8Array(bins.length);
  for (let f = 0; f < cols; f++) for (let i = 0; i < rows; i++) rowBins[i * cols + f] = bins[f * rows + i]!;
  const missingBin = Uint16Array.from(cuts, (c) => c.length + 1);
  const offset = new Uint32Array(cuts.length);
  let size = 0;
  cuts.forEach((c, f) => {
    offset[f] = size;
    size += c.length + 2;
  });
  let rowSlots: Uint16Array | undefined;
  if (size < 65_536) {
    rowSlots = new Uint16Array(rowBins.length);
    for (let i = 0; i < rows; i++) for (let f = 0; f < cols; f++) rowSlots[i * cols + f] = offset[f]! + rowBins[i * cols + f]!;
  }
  return { bins, rowBins, rowSlots, rows, cols, missingBin, offset, histSize: size, cuts };
}

const NO_HIST = new Float64Array(0);

const score = (g: number, n: number, lambda: number) => (g * g) / (n + lambda);

/** Where each sampled feature's bins start in a histogram (x2: sums and counts interleave). */
function featureOffsets(d: BinnedData, features: readonly number[]): Int32Array {
  return Int32Array.from(features, (f) => d.offset[f]! * 2);
}

/**
 * Sums gradients and counts per bin of the sampled features over order[start, end). Row-outer: one
 * row's bins are contiguous in rowBins, so each row costs one cache line, not one per feature.
 */
function buildHist(
  d: BinnedData,
  features: Int32Array,
  offsets: Int32Array,
  grad: Float64Array,
  order: Uint32Array,
  start: number,
  end: number,
  hist: Float64Array,
  ws: HistWorkspace | undefined,
): Float64Array {
  const nf = features.length;
  const cols = d.cols;
  if (ws?.build(hist, order, grad, start, end, features)) return hist;
  const rowBins = d.rowBins;
  const slots = d.rowSlots;
  if (nf === cols && slots !== undefined) {
    // Every feature (no column sampling): a row's slots are read in order, one number per cell.
    for (let k = start; k < end; k++) {
      const i = order[k]!;
      const g = grad[i]!;
      const base = i * cols;
      for (let j = 0; j < nf; j++) {
        const at = slots[base + j]! << 1;
        hist[at] = hist[at]! + g;
        hist[at + 1] = hist[at + 1]! + 1;
      }
    }
    return hist;
  }
  for (let k = start; k < end; k++) {
    const i = order[k]!;
    const g = grad[i]!;
    const base = i * cols;
    for (let j = 0; j < nf; j++) {
      const at = offsets[j]! + rowBins[base + features[j]!]! * 2;
      hist[at] = hist[at]! + g;
      hist[at + 1] = hist[at + 1]! + 1;
    }
  }
  return hist;
}

function bestSplit(d: BinnedData, features: readonly number[], leaf: Leaf, p: GrowParams, ws: HistWorkspace | undefined): Split | undefined {
  if (leaf.depth >= p.maxDepth || leaf.n < 2 * p.minChildWeight) return undefined;
  const { hist, g: total, n: count } = leaf;
  const { lambda, minChildWeight: minN } = p;
  const parent = score(total, count, lambda);
  // The best candidate so far, as scalars (no object per improvement); ties keep the first, as before.
  let [bestGain, bestFeature, bestBin, bestLeft] = [p.minSplitGain, -1, 0, false];
  const kernel = ws?.holds(hist) ? ws : undefined;
  const scan = { total, count, lambda, minN, parent };
  for (const f of features) {
    const off = d.offset[f]! * 2;
    const valueBins = d.missingBin[f]!;
    if (kernel) {
      const found = kernel.bestBin(hist, off, valueBins, scan, bestGain);
      if (found) [bestGain, bestFeature, bestBin, bestLeft] = [found.gain, f, found.bin, found.missingLeft];
      continue;
    }
    const mg = hist[off + valueBins * 2]!;
    const mn = hist[off + valueBins * 2 + 1]!;
    let lg = 0;
    let ln = 0;
    for (let b = 0; b < valueBins - 1; b++) {
      lg += hist[off + b * 2]!;
      ln += hist[off + b * 2 + 1]!;
      // Too few rows stay right from here on, with missing values on either side.
      if (count - ln < minN) break;
      // Missing values go right, then (when there are any) left: the better side is learned.
      if (ln >= minN) {
        const gain = 0.5 * (score(lg, ln, lambda) + score(total - lg, count - ln, lambda) - parent);
        if (gain > bestGain) [bestGain, bestFeature, bestBin, bestLeft] = [gain, f, b, false];
      }
      if (mn > 0) {
        const [g, n] = [lg + mg, ln + mn];
        if (n < minN || count - n < minN) continue;
        const gain = 0.5 * (score(g, n, lambda) + score(total - g, count - n, lambda) - parent);
        if (gain > bestGain) [bestGain, bestFeature, bestBin, bestLeft] = [gain, f, b, true];
      }
    }
  }
  return bestFeature < 0 ? undefined : { gain: bestGain, feature: bestFeature, bin: bestBin, missingLeft: bestLeft };
}

/**
 * Splits a leaf's rows in place, left rows first, both sides keeping increasing row order (sequential histogram
 * reads), and sums each side's gradients on the way, in the order a pass over each side would add them.
 */
function partition(
  d: BinnedData,
  s: Split,
  grad: Float64Array,
  order: Uint32Array,
  leaf: GrownLeaf,
  scratchOf: () => Uint32Array,
  ws: HistWorkspace | undefined,
) {
  const done = ws?.partition(s, d.missingBin[s.feature]!, order, grad, leaf.start, leaf.end);
  if (done) return done;
  const scratch = scratchOf();
  const base = s.feature * d.rows;
  const miss = d.missingBin[s.feature]!;
  let [l, r, gl, gr] = [leaf.start, 0, 0, 0];
  for (let k = leaf.start; k < leaf.end; k++) {
    const i = order[k]!;
    const b = d.bins[base + i]!;
    if (b === miss ? s.missingLeft : b <= s.bin) {
      order[l++] = i;
      gl += grad[i]!;
    } else {
      scratch[r++] = i;
      gr += grad[i]!;
    }
  }
  order.set(scratch.subarray(0, r), l);
  return { l, gl, gr };
}

/**
 * Grows a tree over the rows order[0, count) and returns it with its leaves (whose values are
 * -G / (n + lambda) x learning rate). `order` is partitioned in place so that each leaf's rows are
 * contiguous, which lets a caller re-fit leaves (quantile loss) without another pass.
 */
export function growTree(
  d: BinnedData,
  features: readonly number[],
  grad: Float64Array,
  order: Uint32Array,
  count: number,
  p: GrowParams,
  pool: Float64Array[] = [],
  ws?: HistWorkspace,
): { tree: Tree; leaves: GrownLeaf[] } {
  const tree = emptyTree();
  // Only the JavaScript partition needs it (the workspace has its own): made on first use.
  let scratch: Uint32Array | undefined;
  const scratchOf = () => (scratch ??= new Uint32Array(count));
  const feats = Int32Array.from(features);
  const offsets = featureOffsets(d, features);
  // With every feature the histogram's slots are one contiguous run: cleared and subtracted in one loop each.
  const allFeatures = feats.length === d.cols;
  // Histograms of finished leaves are reused (zeroed) for new ones, across trees when the caller keeps
  // `pool`: far fewer large allocations and less GC. New ones come from the workspace while it has room.
  const freshHist = () => {
    const h = pool.pop();
    if (!h) return ws?.newHist() ?? new Float64Array(d.histSize * 2);
    if (allFeatures) return h.fill(0);
    for (let j = 0; j < feats.length; j++) h.fill(0, offsets[j]!, offsets[j]! + (d.missingBin[feats[j]!]! + 1) * 2);
    return h;
  };
  const makeLeaf = (start: number, end: number, depth: number, hist: Float64Array, g: number): Leaf => {
    const leaf: Leaf = { node: addNode(tree), start, end, depth, g, n: end - start, hist, best: undefined };
    tree.cover[leaf.node] = end - start;
    leaf.best = bestSplit(d, features, leaf, p, ws);
    if (!leaf.best) {
      pool.push(leaf.hist);
      leaf.hist = NO_HIST;
    }
    return leaf;
  };
  let g0 = 0;
  for (let k = 0; k < count; k++) g0 += grad[order[k]!]!;
  const open: Leaf[] = [makeLeaf(0, count, 0, buildHist(d, feats, offsets, grad, order, 0, count, freshHist(), ws), g0)];
  while (open.length < p.maxLeaves) {
    let pick = -1;
    for (let k = 0; k < open.length; k++) if (open[k]!.best && (pick < 0 || open[k]!.best!.gain > open[pick]!.best!.gain)) pick = k;
    if (pick < 0) break;
    const leaf = open.splice(pick, 1)[0]!;
    const s = leaf.best!;
    const { l, gl, gr } = partition(d, s, grad, order, leaf, scratchOf, ws);
    const node = leaf.node;
    tree.feature[node] = s.feature;
    tree.bin[node] = s.bin;
    tree.threshold[node] = d.cuts[s.feature]![s.bin]!;
    tree.missingLeft[node] = s.missingLeft;
    tree.gain[node] = s.gain;
    // Histogram subtraction: build the smaller child, derive the larger as parent - smaller.
    const leftSmaller = l - leaf.start <= leaf.end - l;
    const small = leftSmaller
      ? buildHist(d, feats, offsets, grad, order, leaf.start, l, freshHist(), ws)
      : buildHist(d, feats, offsets, grad, order, l, leaf.end, freshHist(), ws);
    const large = leaf.hist;
    if (!ws?.subtract(large, small)) {
      if (allFeatures) for (let k = 0; k < large.length; k++) large[k] = large[k]! - small[k]!;
      else
        for (let j = 0; j < feats.length; j++) {
          const end = offsets[j]! + (d.missingBin[feats[j]!]! + 1) * 2;
          for (let k = offsets[j]!; k < end; k++) large[k] = large[k]! - small[k]!;
        }
    }
    const left = makeLeaf(leaf.start, l, leaf.depth + 1, leftSmaller ? small : large, gl);
    const right = makeLeaf(l, leaf.end, leaf.depth + 1, leftSmaller ? large : small, gr);
    tree.left[node] = left.node;
    tree.right[node] = right.node;
    open.push(left, right);
  }
  for (const leaf of open) if (leaf.hist !== NO_HIST) pool.push(leaf.hist);
  const leaves = open;
  for (const leaf of leaves) tree.value[leaf.node] = (-leaf.g / (leaf.n + p.lambda)) * p.learningRate;
  return { tree, leaves: leaves.map(({ node, start, end }) => ({ node, start, end })) };
}
