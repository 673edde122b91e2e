// Monitoring: PSI on known samples, drift that fires on a shifted input and stays quiet on an unshifted one, prediction health against the backtest.
import { describe, expect, it } from 'vitest';
import { driftOf, thresholdsOf } from '../../src/airquality/monitoring/drift.js';
import { binomialCdf, judge } from '../../src/airquality/monitoring/predictions.js';
import { psi } from '../../src/airquality/monitoring/psi.js';
import { seededRandom } from '../../src/ml/random.js';
import type { Row } from '../../src/store/index.js';

const random = seededRandom(7);
const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const sample = (n: number, mean = 0, sd = 1) => Array.from({ length: n }, () => mean + sd * normal());
const rows = (n: number, mean = 0): Row[] => sample(n, mean).map((v) => ({ temperature_mean: v, wind_u: normal() }));

describe('PSI', () => {
  it('is near 0 for the same distribution, past 0.25 for a shift of one standard deviation, and NaN without data', () => {
    const reference = sample(5000);
    expect(psi(reference, sample(5000))).toBeLessThan(0.02);
    expect(psi(reference, sample(5000, 1))).toBeGreaterThan(0.25);
    expect(psi(reference, [])).toBeNaN();
    // A known case: half the recent values in the reference's top decile.
    const ref = Array.from({ length: 1000 }, (_, i) => i);
    const recent = [...Array.from({ length: 500 }, (_, i) => i * 2), ...Array.from({ length: 500 }, () => 950)];
    expect(psi(ref, recent)).toBeGreaterThan(0.5);
  });
});

describe('feature drift', () => {
  // Ten places with three earlier years each of 30 days: the spread of year against year sets the thresholds.
  const years = Array.from({ length: 10 }, () => Array.from({ length: 3 }, () => rows(30)));
  const thresholds = thresholdsOf(years, ['temperature_mean', 'wind_u']);

  it('sets each threshold from how the earlier years differ among themselves, at least 0.25', () => {
    for (const t of thresholds.values()) expect(t).toBeGreaterThanOrEqual(0.25);
    expect([...thresholds.keys()]).toEqual(['temperature_mean', 'wind_u']);
  });

  it('fires on a window shifted by two standard deviations and stays quiet on an unshifted one', () => {
    const reference = years[0]!.flat();
    const shifted = driftOf(reference, rows(30, 2), thresholds);
    expect(shifted.find((d) => d.feature === 'temperature_mean')!.level).toBe('drift');
    expect(shifted.find((d) => d.feature === 'wind_u')!.level).not.toBe('drift'); // only the shifted feature
    const same = driftOf(reference, rows(30), thresholds);
    expect(same.every((d) => d.level !== 'drift')).toBe(true);
  });
});

describe('prediction health', () => {
  const day = (i: number, predicted: number, observed: number) => ({
    location_id: 'x',
    date: `2024-06-${String(i + 1).padStart(2, '0')}`,
    issue_date: '2024-05-31',
    days_ahead: 1,
    predicted,
    lower: predicted * 0.7,
    upper: predicted * 1.3,
    observed,
  });

  it('says too few below 14 observed forecasts, ok near the backtest, and alerts past 1.5x its RMSE or at a coverage a sound interval would rarely show', () => {
    expect(
      judge(
        Array.from({ length: 13 }, (_, i) => day(i, 50, 50)),
        1,
        20,
      ).status,
    ).toBe('too few');
    const near = Array.from({ length: 14 }, (_, i) => day(i, 50, i % 2 ? 60 : 40));
    expect(judge(near, 1, 12)).toMatchObject({ n: 14, rmse: 10, coverage80: 1, status: 'ok' });
    const off = Array.from({ length: 14 }, (_, i) => day(i, 50, 100));
    const bad = judge(off, 1, 12);
    expect(bad).toMatchObject({ status: 'alert', rmse: 50, coverage80: 0 });
    expect(bad.reason).toMatch(/RMSE 50\.0 is over 1\.5x the backtest's 12\.0; only 0 of 14 days fell in the 80% interval/);
    // 7 of 14 inside is still within chance for an 80% interval (P = 0.012); 6 of 14 is not (P = 0.002).
    const covered = (k: number) => Array.from({ length: 14 }, (_, i) => day(i, 50, i < k ? 50 : 100));
    expect(judge(covered(7), 1, 100).status).toBe('ok');
    expect(judge(covered(6), 1, 100)).toMatchObject({ status: 'alert', reason: 'only 6 of 14 days fell in the 80% interval' });
  });

  it('computes the binomial tail on known values', () => {
    expect(binomialCdf(14, 14, 0.8)).toBeCloseTo(1, 12);
    expect(binomialCdf(0, 2, 0.5)).toBeCloseTo(0.25, 12);
    expect(binomialCdf(7, 14, 0.8)).toBeCloseTo(0.0116, 4);
    expect(binomialCdf(6, 14, 0.8)).toBeCloseTo(0.0024, 4);
  });
});
