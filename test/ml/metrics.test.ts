// Forecast metrics on hand-computed examples.
import { describe, expect, it } from 'vitest';
import { bias, coverage, degenerateShare, intervalScore, mae, meanWidth, r2, rmse, skill } from '../../src/ml/metrics.js';
import { quantile } from '../../src/ml/losses.js';

describe('metrics', () => {
  const actual = [1, 2, 3, 4];
  const predicted = [2, 2, 2, 6];
  it('computes RMSE, MAE, bias and R²', () => {
    expect(rmse(actual, predicted)).toBeCloseTo(Math.sqrt((1 + 0 + 1 + 4) / 4), 12);
    expect(mae(actual, predicted)).toBe(1);
    expect(bias(actual, predicted)).toBe(0.5);
    expect(r2(actual, predicted)).toBeCloseTo(1 - 6 / 5, 12); // SST = 2.25 + 0.25 + 0.25 + 2.25
    expect(r2(actual, actual)).toBe(1);
  });
  it('computes coverage, skill and quantiles', () => {
    expect(coverage(actual, [0, 2.5, 3, 0], [1, 3, 3, 3])).toBe(0.5);
    expect(skill(30, 60)).toBe(0.5);
    expect(skill(60, 60)).toBe(0);
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([4, 1, 3, 2], 0.9)).toBeCloseTo(3.7, 12);
  });
  it('refuses arrays of different lengths', () => {
    expect(() => rmse([1, 2], [1])).toThrow(/2 actual values but 1 predictions/);
  });
  it('scores intervals on a known case: width, interval score (width + 2/alpha x the miss) and the share without the point inside', () => {
    const y = [10, 50, 5, 20];
    const lower = [8, 30, 6, 15];
    const upper = [12, 40, 9, 20];
    expect(meanWidth(lower, upper)).toBe((4 + 10 + 3 + 5) / 4);
    // alpha 0.2: misses cost 10x; 50 is 10 above 40 (+100), 5 is 1 below 6 (+10).
    expect(intervalScore(y, lower, upper, 0.2)).toBe((4 + (10 + 100) + (3 + 10) + 5) / 4);
    expect(coverage(y, lower, upper)).toBe(0.5);
    expect(degenerateShare([10, 35, 9, 17], lower, upper)).toBe(0.25); // 9 is the upper end of [6, 9]
    expect(() => intervalScore(y, lower, upper, 1.5)).toThrow(/alpha must be between 0 and 1/);
  });
});
