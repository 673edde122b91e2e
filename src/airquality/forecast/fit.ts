// Fitting the forecaster's models on a validation split: the shared mean model, the dedicated horizon models kept where
// they beat it, the two quantile models, and the helpers that combine and judge them on rows of the forecast view.
import { Gbdt, rmse, rowsWhere, takeRows, type GbdtParams, type Matrix } from '../../ml/index.js';
import { MAX_DAYS_AHEAD } from './groups.js';

const MEAN_PARAMS: GbdtParams = {
  nEstimators: 2000,
  learningRate: 0.06,
  maxDepth: 6,
  minChildWeight: 30,
  lambda: 1,
  // Row and column sampling halve the time per tree and, on Beijing, do not cost accuracy (columns: less reliance on the season).
  subsample: 0.5,
  colsample: 0.6,
  earlyStoppingRounds: 50,
  seed: 42,
};
const DEDICATED_PARAMS: GbdtParams = { ...MEAN_PARAMS, learningRate: 0.1 };
// The interval is calibrated afterwards (conformal), so the quantile models can be coarser and faster.
const QUANTILE_PARAMS: GbdtParams = {
  ...MEAN_PARAMS,
  objective: 'quantile',
  learningRate: 0.15,
  maxDepth: 5,
  nEstimators: 400,
  earlyStoppingRounds: 30,
};
/** Horizons that get a dedicated model candidate. */
const DEDICATED_HORIZONS = [1, 2, 3];
/** The 80% interval: its quantile models are the 10th and 90th percentiles. */
export const INTERVAL = 0.8;

/** The shared model's predictions with the rows of each dedicated horizon replaced by its own model's. */
export function withDedicated(shared: Float64Array, dedicated: ReadonlyMap<number, Gbdt>, x: Matrix, h: number): Float64Array {
  const m = Float64Array.from(shared);
  for (const [d, model] of dedicated) {
    const idx = rowsWhere(x, h, d);
    if (idx.length === 0) continue;
    const p = model.predict(takeRows(x, idx));
    idx.forEach((i, k) => (m[i] = p[k]!));
  }
  return m;
}

/** Per horizon, the mean of prediction − actual over the rows of that horizon (0 where there are none). */
export function biasByHorizon(predicted: Float64Array, v: { x: Matrix; y: Float64Array }, cols: number, h: number): number[] {
  const sum = new Array<number>(MAX_DAYS_AHEAD).fill(0);
  const n = new Array<number>(MAX_DAYS_AHEAD).fill(0);
  for (let i = 0; i < v.x.rows; i++) {
    const d = v.x.data[i * cols + h]! - 1;
    if (d < 0 || d >= MAX_DAYS_AHEAD) continue;
    sum[d]! += predicted[i]! - v.y[i]!;
    n[d]!++;
  }
  return sum.map((s, d) => (n[d]! > 0 ? s / n[d]! : 0));
}

export interface Parts {
  mean: Gbdt;
  dedicated: Map<number, Gbdt>;
  lower: Gbdt;
  upper: Gbdt;
}

/** The models, each stopped early on the validation days; a dedicated horizon model is kept where it beats the shared one there. */
export function fitParts(x: Matrix, y: Float64Array, v: { x: Matrix; y: Float64Array }, names: string[], h: number): Parts {
  const opts = { featureNames: names, valid: v };
  const mean = Gbdt.fit(x, y, MEAN_PARAMS, opts);
  const dedicated = new Map<number, Gbdt>();
  const sharedValid = mean.predict(v.x);
  for (const d of DEDICATED_HORIZONS) {
    const tr = subset(x, y, rowsWhere(x, h, d));
    const vIdx = rowsWhere(v.x, h, d);
    const va = subset(v.x, v.y, vIdx);
    if (tr.x.rows < 50 || va.x.rows < 20) continue;
    const model = Gbdt.fit(tr.x, tr.y, DEDICATED_PARAMS, { featureNames: names, valid: va });
    const shared = Float64Array.from(vIdx, (i) => sharedValid[i]!);
    if (rmse(va.y, model.predict(va.x)) < rmse(va.y, shared)) dedicated.set(d, model);
  }
  const lower = Gbdt.fit(x, y, { ...QUANTILE_PARAMS, alpha: (1 - INTERVAL) / 2 }, opts);
  const upper = Gbdt.fit(x, y, { ...QUANTILE_PARAMS, alpha: (1 + INTERVAL) / 2 }, opts);
  return { mean, dedicated, lower, upper };
}

export function subset(m: Matrix, labels: Float64Array, idx: number[]) {
  return { x: takeRows(m, idx), y: Float64Array.from(idx, (i) => labels[i]!) };
}
