// Feature functions: coverage rule, wind vectors and directions, lags and rolling means (point-in-time).
import { describe, expect, it } from 'vitest';
import { coveredMean, coveredSum, hoursMeasured, maxOf } from '../../src/airquality/features/daily.js';
import { lag, rollingMean } from '../../src/airquality/features/lags.js';
import { compassToDegrees, dailyWind, degreesToCompass, directionFromComponents, windComponents } from '../../src/airquality/features/wind.js';

describe('daily coverage', () => {
  const day = (measured: number, value = 10) => Array.from({ length: 24 }, (_, h) => (h < measured ? value + h : null));
  it('gives a mean only with at least 18 measured hours', () => {
    expect(coveredMean(day(18))).toBeCloseTo(10 + 8.5, 10);
    expect(coveredMean(day(17))).toBeNull();
    expect(hoursMeasured(day(17))).toBe(17);
    expect(coveredSum(day(24, 0))).toBe(276);
    expect(maxOf(day(3))).toBe(12);
    expect(maxOf(day(0))).toBeNull();
  });
});

describe('wind', () => {
  it('converts compass points and vectors in the meteorological convention', () => {
    expect(compassToDegrees('NNW')).toBe(337.5);
    expect(compassToDegrees('XX')).toBeNull();
    expect(degreesToCompass(359)).toBe('N');
    // a north wind blows from the north, towards the south: v < 0
    const north = windComponents(10, 0);
    expect(north.u).toBeCloseTo(0, 10);
    expect(north.v).toBeCloseTo(-10, 10);
    expect(directionFromComponents(north.u, north.v)).toBe(0);
    expect(directionFromComponents(...(Object.values(windComponents(5, 270)) as [number, number]))).toBe(270);
    expect(directionFromComponents(0, 0)).toBeNull();
  });

  it('averages directions as vectors (NNW and NNE average to N, not S) and finds the dominant point', () => {
    const w = dailyWind([
      { speed: 4, direction: 'NNW' },
      { speed: 4, direction: 'NNE' },
      { speed: 2, direction: 'NNE' },
      { speed: null, direction: 'E' },
    ]);
    expect(w.dominant).toBe('NNE');
    expect(w.direction! < 10 || w.direction! > 350).toBe(true);
    expect(w.speedMean).toBeCloseTo(10 / 3, 10);
    expect(w.speedMax).toBe(4);
    expect(dailyWind([]).direction).toBeNull();
  });
});

describe('lags and rolling means', () => {
  const series = [
    { date: '2016-02-27', value: 1 },
    { date: '2016-02-28', value: 2 },
    { date: '2016-02-29', value: null },
    { date: '2016-03-01', value: 4 },
    { date: '2016-03-03', value: 6 }, // 03-02 missing
  ];
  it('looks back by calendar days, so gaps give null instead of a wrong day', () => {
    expect(lag(series, 1)).toEqual([null, 1, 2, null, null]);
    expect(lag(series, 2)).toEqual([null, null, 1, 2, 4]);
  });

  it('averages the window ending at each date and never looks ahead', () => {
    expect(rollingMean(series, 3)).toEqual([1, 1.5, 1.5, 3, 5]);
    expect(rollingMean(series, 3, 2)).toEqual([null, 1.5, 1.5, 3, 5]); // 03-01: {2, 4}; 03-03: {4, 6}
    expect(rollingMean(series, 2, 2)).toEqual([null, 1.5, null, null, null]);
    // changing a later value does not change earlier results (point-in-time)
    const changed = series.map((p) => (p.date === '2016-03-03' ? { ...p, value: 600 } : p));
    expect(rollingMean(changed, 3).slice(0, 4)).toEqual(rollingMean(series, 3).slice(0, 4));
  });
});
