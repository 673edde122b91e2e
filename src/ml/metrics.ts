// Regression metrics for forecasts: RMSE, MAE, R², bias, interval coverage, and skill against a baseline.
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

/** 1 − RMSE/RMSE(baseline): 0 is no better than the baseline, 1 is perfect. */
export function skill(modelRmse: number, baselineRmse: number): number {
  return baselineRmse === 0 ? NaN : 1 - modelRmse / baselineRmse;
}
