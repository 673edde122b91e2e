// Regression metrics for forecasts: RMSE, MAE, R², bias, interval coverage, width and score, and skill against a baseline.
import { ValidationError } from '../core/errors.js';

type Values = ArrayLike<number>;

function pairs(actual: Values, predicted: Values): number {
  if (actual.length !== predicted.length) throw new ValidationError(`${actual.length} actual values but ${predicted.length} predictions`);
  return actual.length;
}

export function rmse(actual: Values, predicted: Values): number {
  const n = pairs(actual, predicted);
  let s = 0;
  for (let i = 0; i < n; i++) s += (predicted[i]! - actual[i]!) ** 2;
  return n === 0 ? NaN : Math.sqrt(s / n);
}

export function mae(actual: Values, predicted: Values): number {
  const n = pairs(actual, predicted);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(predicted[i]! - actual[i]!);
  return n === 0 ? NaN : s / n;
}

/** Mean of predicted − actual: positive means the forecast runs high. */
export function bias(actual: Values, predicted: Values): number {
  const n = pairs(actual, predicted);
  let s = 0;
  for (let i = 0; i < n; i++) s += predicted[i]! - actual[i]!;
  return n === 0 ? NaN : s / n;
}

/** 1 − SSE/SST: the share of the variance explained (can be negative for a model worse than the mean). */
export function r2(actual: Values, predicted: Values): number {
  const n = pairs(actual, predicted);
  if (n === 0) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += actual[i]!;
  mean /= n;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    sse += (actual[i]! - predicted[i]!) ** 2;
    sst += (actual[i]! - mean) ** 2;
  }
  return sst === 0 ? NaN : 1 - sse / sst;
}

/** Share of actual values inside [lower, upper]. */
export function coverage(actual: Values, lower: Values, upper: Values): number {
  const n = pairs(actual, lower);
  pairs(actual, upper);
  let inside = 0;
  for (let i = 0; i < n; i++) if (actual[i]! >= lower[i]! && actual[i]! <= upper[i]!) inside++;
  return n === 0 ? NaN : inside / n;
}

/** Mean upper − lower: how wide the intervals are. */
export function meanWidth(lower: Values, upper: Values): number {
  const n = pairs(lower, upper);
  let s = 0;
  for (let i = 0; i < n; i++) s += upper[i]! - lower[i]!;
  return n === 0 ? NaN : s / n;
}

/**
 * The interval score (Winkler; Gneiting & Raftery 2007, eq. 43) of central (1 − alpha) intervals: the width, plus 2/alpha
 * times how far the actual value fell outside. Lower is better; it rewards narrow intervals only when they still cover.
 */
export function intervalScore(actual: Values, lower: Values, upper: Values, alpha: number): number {
  const n = pairs(actual, lower);
  pairs(actual, upper);
  if (!(alpha > 0 && alpha < 1)) throw new ValidationError(`alpha must be between 0 and 1, not ${alpha}`);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const [y, l, u] = [actual[i]!, lower[i]!, upper[i]!];
    s += u - l + (2 / alpha) * (Math.max(0, l - y) + Math.max(0, y - u));
  }
  return n === 0 ? NaN : s / n;
}

/** Share of intervals that do not hold the point strictly inside (an end equal to the point, or beyond it). */
export function degenerateShare(point: Values, lower: Values, upper: Values): number {
  const n = pairs(point, lower);
  pairs(point, upper);
  let bad = 0;
  for (let i = 0; i < n; i++) if (!(lower[i]! < point[i]! && point[i]! < upper[i]!)) bad++;
  return n === 0 ? NaN : bad / n;
}

/** 1 − RMSE/RMSE(baseline): 0 is no better than the baseline, 1 is perfect. */
export function skill(modelRmse: number, baselineRmse: number): number {
  return baselineRmse === 0 ? NaN : 1 - modelRmse / baselineRmse;
}
