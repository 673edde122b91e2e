// The forecast interval: strictly around the point for any input (a property test over seeded random inputs), and calibrated to its level on a known case.
import { describe, expect, it } from 'vitest';
import { calibrateBand, intervalAround, MIN_POINT, pointOf, spreadOf } from '../../../src/airquality/forecast/interval.js';
import { seededRandom } from '../../../src/ml/random.js';

/** Numbers a model can produce, the awkward ones included: negative, zero, tiny, huge, non-finite. */
function wild(random: () => number): number {
  const r = random();
  if (r < 0.05) return [NaN, Infinity, -Infinity, 0, -0][Math.floor(random() * 5)]!;
  if (r < 0.15) return -random() * 100;
  if (r < 0.3) return random() * 1e-6;
  if (r < 0.4) return random() * 1e5;
  return random() * 300;
}

describe('forecast interval', () => {
  it('is strictly around the point, above zero below, for 100,000 random model outputs and bands', () => {
    const random = seededRandom(20261130);
    for (let i = 0; i < 100_000; i++) {
      const point = pointOf(wild(random));
      const { lower, upper } = intervalAround(point, spreadOf(wild(random), wild(random)), wild(random), wild(random));
      if (!(lower >= 0 && lower < point && point < upper && Number.isFinite(upper))) throw new Error(`case ${i}: ${lower} < ${point} < ${upper} fails`);
      // Stored to two decimals, the ends still differ from the point.
      const r2 = (v: number) => Math.round(v * 100) / 100;
      if (!(r2(lower) < r2(point) && r2(point) < r2(upper))) throw new Error(`case ${i}: rounded ${r2(lower)} < ${r2(point)} < ${r2(upper)} fails`);
    }
    expect(pointOf(-5)).toBe(MIN_POINT);
  });

  it('reaches the conformal ranks of the normalised residuals per horizon, so a known case covers its level', () => {
    // Horizon 1: 99 rows with log residuals -0.49..0.49 around a point of e−1 (log1p = 1), spread 1.
    const point = Math.E - 1;
    const rows = Array.from({ length: 99 }, (_, i) => ({ horizon: 1, point, actual: Math.expm1(1 + (i - 49) / 100), spread: 1 }));
    const band = calibrateBand(rows, 2, 0.8);
    // Ranks floor(100 x 0.1) = 10 and ceil(100 x 0.9) = 90 of the sorted residuals: -0.40 and 0.40.
    expect(band.below[0]).toBeCloseTo(0.4, 10);
    expect(band.above[0]).toBeCloseTo(0.4, 10);
    expect([band.below[1], band.above[1]]).toEqual([0, 0]); // no rows for horizon 2
    const covered = rows.filter((r) => {
      const { lower, upper } = intervalAround(point, 1, band.below[0]!, band.above[0]!);
      return r.actual >= lower && r.actual <= upper;
    }).length;
    expect(covered).toBe(81); // residuals -0.40..0.40: 81 of 99, at least 80%
  });

  it('spreads wider for a day the quantile models find more uncertain', () => {
    expect(spreadOf(20, 200)).toBeGreaterThan(spreadOf(40, 80));
    expect(spreadOf(80, 40)).toBe(spreadOf(40, 80)); // crossed quantile models: the same distance
  });
});
