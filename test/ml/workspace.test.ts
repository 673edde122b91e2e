// The WebAssembly histogram kernel sums exactly what the JavaScript loop sums, and trees grown with it are the same trees.
import { describe, expect, it, vi } from 'vitest';
import { binMatrix, computeCuts } from '../../src/ml/binning.js';
import { binnedData, growTree, type BinnedData, type GrowParams } from '../../src/ml/grow.js';
import { HistWorkspace } from '../../src/ml/workspace.js';
import type { Matrix } from '../../src/ml/matrix.js';
import { seededRandom } from '../../src/ml/random.js';

/** Rows of skewed features with some missing values, binned as the GBDT bins them. */
function data(rows: number, cols: number, seed = 7): { d: BinnedData; grad: Float64Array } {
  const random = seededRandom(seed);
  const x: Matrix = { rows, cols, data: new Float64Array(rows * cols) };
  for (let k = 0; k < x.data.length; k++) x.data[k] = random() < 0.05 ? NaN : Math.round(random() ** 2 * 1000) / 10;
  const cuts = computeCuts(x, 64);
  const grad = Float64Array.from({ length: rows }, () => random() * 20 - 10);
  return { d: binnedData(binMatrix(x, cuts), rows, cuts), grad };
}

function workspace(d: BinnedData, hists: number): HistWorkspace {
  const ws = HistWorkspace.create(d, hists);
  if (!ws) throw new Error('this Node has WebAssembly SIMD (Node 20 does): the kernel must be available');
  return ws;
}

/** The sums the kernel must reproduce: (sum of gradients, count) per global bin over order[start, end), in row order. */
function reference(d: BinnedData, order: Uint32Array, grad: Float64Array, start: number, end: number, features?: number[]): Float64Array {
  const h = new Float64Array(d.histSize * 2);
  for (let k = start; k < end; k++) {
    const i = order[k]!;
    for (const j of features ?? Array.from({ length: d.cols }, (_, f) => f)) {
      const slot = d.offset[j]! + d.rowBins[i * d.cols + j]!;
      h[slot * 2] = h[slot * 2]! + grad[i]!;
      h[slot * 2 + 1] = h[slot * 2 + 1]! + 1;
    }
  }
  return h;
}

const PARAMS: GrowParams = { maxDepth: 6, maxLeaves: 31, minChildWeight: 5, lambda: 1, minSplitGain: 0, learningRate: 0.1 };

describe('HistWorkspace', () => {
  it('sums gradients and counts per bin exactly as the JavaScript loop does, over any range of rows', () => {
    const { d, grad } = data(2_000, 7);
    const ws = workspace(d, 4);
    ws.grad.set(grad);
    // A shuffled order, as after partitions.
    const random = seededRandom(3);
    ws.order.set(Uint32Array.from({ length: d.rows }, (_, i) => i).sort(() => random() - 0.5));
    for (const [start, end] of [
      [0, d.rows],
      [137, 1_024],
      [500, 500],
    ] as const) {
      const h = ws.newHist()!;
      h.fill(0);
      expect(ws.build(h, ws.order, ws.grad, start, end)).toBe(true);
      expect(Array.from(h)).toEqual(Array.from(reference(d, ws.order, ws.grad, start, end)));
    }
  });

  it('sums only the sampled features when given some', () => {
    const { d, grad } = data(1_000, 8);
    const ws = workspace(d, 2);
    ws.grad.set(grad);
    ws.order.set(Uint32Array.from({ length: d.rows }, (_, i) => d.rows - 1 - i));
    const h = ws.newHist()!;
    expect(ws.build(h, ws.order, ws.grad, 10, 900, Int32Array.from([1, 4, 5, 7]))).toBe(true);
    expect(Array.from(h)).toEqual(Array.from(reference(d, ws.order, ws.grad, 10, 900, [1, 4, 5, 7])));
  });

  it('subtracts one whole histogram from another exactly', () => {
    const { d, grad } = data(500, 3);
    const ws = workspace(d, 2);
    ws.grad.set(grad);
    ws.order.set(Uint32Array.from({ length: d.rows }, (_, i) => i));
    const [large, small] = [ws.newHist()!, ws.newHist()!];
    ws.build(large, ws.order, ws.grad, 0, 500);
    ws.build(small, ws.order, ws.grad, 100, 300);
    const expected = Array.from(large, (v, k) => v - small[k]!);
    expect(ws.subtract(large, small)).toBe(true);
    expect(Array.from(large)).toEqual(expected);
  });

  it('leaves arrays outside its memory to the JavaScript loop, and runs out of histograms after its room', () => {
    const { d, grad } = data(300, 4);
    const ws = workspace(d, 2);
    const own = ws.newHist()!;
    expect(ws.build(new Float64Array(d.histSize * 2), ws.order, ws.grad, 0, 10)).toBe(false);
    expect(ws.build(own, new Uint32Array(d.rows), ws.grad, 0, 10)).toBe(false);
    expect(ws.build(own, ws.order, grad, 0, 10)).toBe(false);
    expect(ws.subtract(own, new Float64Array(own.length))).toBe(false);
    expect(ws.newHist()).toBeDefined();
    expect(ws.newHist()).toBeUndefined();
  });

  it.each([
    ['every feature', [0, 1, 2, 3, 4, 5, 6, 7, 8]],
    ['sampled features', [0, 2, 3, 6, 8]],
  ])('grows the same tree as the JavaScript loop, split for split and leaf for leaf, with %s', (_, features) => {
    const { d, grad } = data(3_000, 9);
    const plain = growTree(
      d,
      features,
      grad.slice(),
      Uint32Array.from({ length: d.rows }, (_, i) => i),
      d.rows,
      PARAMS,
    );
    const ws = workspace(d, PARAMS.maxLeaves + 2);
    ws.grad.set(grad);
    ws.order.set(Uint32Array.from({ length: d.rows }, (_, i) => i));
    const build = vi.spyOn(ws, 'build');
    const fast = growTree(d, features, ws.grad, ws.order, d.rows, PARAMS, [], ws);
    const splits = fast.tree.feature.filter((f) => f >= 0).length;
    expect(splits).toBeGreaterThan(10);
    // The root and the smaller child of every split were summed by the kernel.
    expect(build.mock.results.filter((r) => r.value === true)).toHaveLength(splits + 1);
    expect(fast).toEqual(plain);
  });
});
