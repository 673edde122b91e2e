// Histogram gradient-boosted regression trees (the LightGBM/XGBoost-hist design): fit, predict, importance, JSON.
import { z } from 'zod';
import { ValidationError } from '../core/errors.js';
import { parseOrThrow } from '../core/validate.js';
import { binMatrix, computeCuts } from './binning.js';
import { binnedData, growTree, type BinnedData } from './grow.js';
import { HistWorkspace } from './workspace.js';
import { pinball, squaredError, type Loss } from './losses.js';
import { checkMatrix, type Matrix } from './matrix.js';
import { sampleIndices, seededRandom } from './random.js';
import { expectedValues, pathContributions, predictBinnedRow, predictRow, type Tree } from './tree.js';

export const GbdtParamsSchema = z.strictObject({
  objective: z.enum(['squared_error', 'quantile']).default('squared_error'),
  /** The quantile for objective "quantile" (0.9 = the 90th percentile). */
  alpha: z.number().gt(0).lt(1).default(0.5),
  nEstimators: z.number().int().min(1).max(100_000).default(300),
  learningRate: z.number().gt(0).max(1).default(0.05),
  /** Depth-wise trees are leaf-wise trees with maxLeaves = 2^maxDepth: every useful split within the depth is made. */
  maxDepth: z.number().int().min(1).max(30).default(6),
  maxLeaves: z.number().int().min(2).optional(),
  minChildWeight: z.number().min(1).default(20),
  lambda: z.number().min(0).default(1),
  minSplitGain: z.number().min(0).default(0),
  subsample: z.number().gt(0).max(1).default(1),
  colsample: z.number().gt(0).max(1).default(1),
  maxBins: z.number().int().min(2).max(255).default(255),
  /** Stop when the validation loss has not improved for this many rounds (needs a validation set). */
  earlyStoppingRounds: z.number().int().min(1).optional(),
  seed: z.number().int().default(42),
});
export type GbdtParams = z.input<typeof GbdtParamsSchema>;
type Params = z.output<typeof GbdtParamsSchema>;

export interface FitOptions {
  featureNames?: string[];
  valid?: { x: Matrix; y: ArrayLike<number> };
}

export interface FeatureImportance {
  feature: string;
  /** Total loss reduction of the feature's splits. */
  gain: number;
  splits: number;
}

export interface GbdtJson {
  format: 'airq-gbdt-1';
  params: Params;
  featureNames: string[];
  base: number;
  bestIteration: number;
  validLoss: number[];
  trees: Tree[];
}

// Several models are often fit on one matrix (mean and quantiles): bin it once.
const binnedCache = new WeakMap<Matrix, Map<number, BinnedData>>();
function binned(x: Matrix, maxBins: number): BinnedData {
  const byBins = binnedCache.get(x) ?? new Map<number, BinnedData>();
  binnedCache.set(x, byBins);
  let d = byBins.get(maxBins);
  if (!d) {
    const cuts = computeCuts(x, maxBins);
    d = binnedData(binMatrix(x, cuts), x.rows, cuts);
    byBins.set(maxBins, d);
  }
  return d;
}

const lossOf = (p: Params): Loss => (p.objective === 'quantile' ? pinball(p.alpha) : squaredError);

export class Gbdt {
  private constructor(
    readonly params: Params,
    readonly featureNames: string[],
    readonly base: number,
    readonly trees: Tree[],
    /** Validation loss after each round (empty without a validation set). */
    readonly validLoss: number[],
    /** Trees kept (1-based round with the best validation loss, or all). */
    readonly bestIteration: number,
  ) {}

  /**
   * This model's settings fitted again on other rows (typically all the days, once validation has chosen the number of
   * trees): as many trees as it kept, no validation set, no early stopping.
   */
  refit(x: Matrix, y: ArrayLike<number>): Gbdt {
    const params: GbdtParams = { ...this.params, nEstimators: Math.max(1, this.bestIteration) };
    delete params.earlyStoppingRounds;
    return Gbdt.fit(x, y, params, { featureNames: this.featureNames });
  }

  /** Fits a model; deterministic for a given `seed`. Rows with missing features are fine (NaN); labels must be finite. */
  static fit(x: Matrix, y: ArrayLike<number>, params: GbdtParams = {}, options: FitOptions = {}): Gbdt {
    const p = parseOrThrow(GbdtParamsSchema, params, 'GBDT parameters');
    checkMatrix(x, y);
    if (x.rows < 2) throw new ValidationError('GBDT needs at least 2 training rows');
    const names = options.featureNames ?? Array.from({ length: x.cols }, (_, j) => `f${j}`);
    if (names.length !== x.cols) throw new ValidationError(`${names.length} feature names for ${x.cols} columns`);
    if (options.valid) checkMatrix(options.valid.x, options.valid.y);
    if (options.valid && options.valid.x.cols !== x.cols) throw new ValidationError(`validation set has ${options.valid.x.cols} columns, training ${x.cols}`);
    if (p.earlyStoppingRounds !== undefined && !options.valid) throw new ValidationError('earlyStoppingRounds needs a validation set (options.valid)');

    const loss = lossOf(p);
    const labels = Float64Array.from(y);
    const data = binned(x, p.maxBins);
    const random = seededRandom(p.seed);
    const grow = { ...p, maxLeaves: p.maxLeaves ?? 2 ** Math.min(p.maxDepth, 20) };
    const base = loss.init(labels);
    const pred = new Float64Array(x.rows).fill(base);
    // The histogram kernel reads gradients, row order and histograms in its own memory; without it, plain arrays.
    const ws = HistWorkspace.create(data, grow.maxLeaves + 2);
    const grad = ws?.grad ?? new Float64Array(x.rows);
    const order = ws?.order ?? new Uint32Array(x.rows);
    const vx = options.valid?.x;
    const vy = options.valid ? Float64Array.from(options.valid.y) : undefined;
    const vpred = new Float64Array(vx?.rows ?? 0).fill(base);
    const trees: Tree[] = [];
    const histPool: Float64Array[] = [];
    const validLoss: number[] = [];
    let best = Infinity;
    let bestRound = 0;
    for (let round = 0; round < p.nEstimators; round++) {
      let count = 0;
      for (let i = 0; i < x.rows; i++) if (p.subsample >= 1 || random() < p.subsample) order[count++] = i;
      loss.gradients(labels, pred, order, count, grad);
      const features = p.colsample < 1 ? sampleIndices(x.cols, Math.max(1, Math.round(x.cols * p.colsample)), random) : names.map((_, j) => j);
      const { tree, leaves } = growTree(data, features, grad, order, count, grow, histPool, ws);
      if (loss.renewLeaf) {
        for (const leaf of leaves) {
          const residuals = new Float64Array(leaf.end - leaf.start);
          for (let k = leaf.start; k < leaf.end; k++) residuals[k - leaf.start] = labels[order[k]!]! - pred[order[k]!]!;
          if (residuals.length > 0) tree.value[leaf.node] = loss.renewLeaf(residuals) * p.learningRate;
        }
      }
      trees.push(tree);
      if (count === x.rows) {
        // Every row was grown on: each leaf's rows are order[start, end), so no row walks the tree to find its leaf.
        for (const leaf of leaves) {
          const v = tree.value[leaf.node]!;
          for (let k = leaf.start; k < leaf.end; k++) pred[order[k]!] = pred[order[k]!]! + v;
        }
      } else for (let i = 0; i < x.rows; i++) pred[i] = pred[i]! + predictBinnedRow(tree, data.rowBins, data.cols, data.missingBin, i);
      if (vx && vy) {
        for (let i = 0; i < vx.rows; i++) vpred[i] = vpred[i]! + predictRow(tree, vx, i);
        const l = loss.mean(vy, vpred);
        validLoss.push(l);
        if (l < best) {
          best = l;
          bestRound = round + 1;
        } else if (p.earlyStoppingRounds !== undefined && round + 1 - bestRound >= p.earlyStoppingRounds) break;
      }
    }
    const keep = p.earlyStoppingRounds !== undefined ? bestRound : trees.length;
    return new Gbdt(p, names, base, trees.slice(0, keep), validLoss, keep);
  }

  /** Predictions for every row of `x` (NaN features follow each split's learned missing side). */
  predict(x: Matrix): Float64Array {
    checkMatrix(x);
    if (x.cols !== this.featureNames.length) throw new ValidationError(`the model takes ${this.featureNames.length} features, got ${x.cols}`);
    const out = new Float64Array(x.rows).fill(this.base);
    for (const t of this.trees) for (let i = 0; i < x.rows; i++) out[i] = out[i]! + predictRow(t, x, i);
    return out;
  }

  /**
   * Why the model predicts what it does for row i: a bias (the base score plus every tree's
   * expected value) and one contribution per feature, which add up to the prediction exactly.
   */
  explain(x: Matrix, i: number): { bias: number; contributions: { feature: string; contribution: number }[] } {
    checkMatrix(x);
    if (x.cols !== this.featureNames.length) throw new ValidationError(`the model takes ${this.featureNames.length} features, got ${x.cols}`);
    if (i < 0 || i >= x.rows) throw new ValidationError(`row ${i} is outside the matrix of ${x.rows} rows`);
    const out = new Float64Array(x.cols);
    let bias = this.base;
    for (const t of this.trees) bias += pathContributions(t, (this.expected ??= new Map()).get(t) ?? this.remember(t), x, i, out);
    return { bias, contributions: this.featureNames.map((feature, j) => ({ feature, contribution: out[j]! })) };
  }

  private expected: Map<Tree, number[]> | undefined;
  private remember(t: Tree): number[] {
    const e = expectedValues(t);
    this.expected!.set(t, e);
    return e;
  }

  /** Gain and split count per feature, most important first. */
  featureImportance(): FeatureImportance[] {
    const imp = this.featureNames.map((feature) => ({ feature, gain: 0, splits: 0 }));
    for (const t of this.trees) {
      t.feature.forEach((f, n) => {
        if (f < 0) return;
        imp[f]!.gain += t.gain[n]!;
        imp[f]!.splits++;
      });
    }
    return imp.sort((a, b) => b.gain - a.gain || b.splits - a.splits);
  }

  toJSON(): GbdtJson {
    return {
      format: 'airq-gbdt-1',
      params: this.params,
      featureNames: this.featureNames,
      base: this.base,
      bestIteration: this.bestIteration,
      validLoss: this.validLoss,
      trees: this.trees,
    };
  }

  static fromJSON(json: unknown): Gbdt {
    const j = parseOrThrow(GbdtJsonSchema, json, 'GBDT model JSON');
    return new Gbdt(j.params, j.featureNames, j.base, j.trees, j.validLoss, j.bestIteration);
  }
}

const TreeSchema = z.strictObject({
  feature: z.array(z.number().int()),
  threshold: z.array(z.number()),
  bin: z.array(z.number().int()),
  left: z.array(z.number().int()),
  right: z.array(z.number().int()),
  missingLeft: z.array(z.boolean()),
  value: z.array(z.number()),
  gain: z.array(z.number()),
  // Absent in models saved before explanations existed; they predict the same, and explain nothing.
  cover: z.array(z.number()).default([]),
});

const GbdtJsonSchema = z.strictObject({
  format: z.literal('airq-gbdt-1'),
  params: GbdtParamsSchema,
  featureNames: z.array(z.string()),
  base: z.number(),
  bestIteration: z.number().int(),
  validLoss: z.array(z.number()),
  trees: z.array(TreeSchema),
});
