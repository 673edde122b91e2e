// Realistic weather for backtests: seeded and reproducible, errors that grow with lead time, the issue day left observed.
import { describe, expect, it } from 'vitest';
import { errorSd, WEATHER_ERRORS, withRealisticWeather } from '../../../src/airquality/forecast/weather-errors.js';
import { WEATHER_FEATURES } from '../../../src/airquality/forecast/view.js';
import type { Row } from '../../../src/store/index.js';

const weather = (prefix: string): Row =>
  Object.fromEntries(WEATHER_FEATURES.map((f) => [`${prefix}${f}`, f === 'precipitation_sum' ? 3 : f === 'pressure_mean' ? 1010 : 5]));
const rowAt = (h: number): Row => ({ days_ahead: h, issue_pm25: 80, ...weather(''), ...weather('prev_'), ...weather('prev2_') });

/** The root mean square change of `feature` over many rows of horizon h. */
function rmsChange(h: number, feature: string, seed = 11): number {
  const rows = Array.from({ length: 4000 }, () => rowAt(h));
  const out = withRealisticWeather(rows, seed);
  return Math.sqrt(out.reduce((s, r, i) => s + ((r[feature] as number) - (rows[i]![feature] as number)) ** 2, 0) / rows.length);
}

describe('realistic weather', () => {
  it('is the same for the same seed and rows, and different for another seed', () => {
    const rows = [1, 3, 7].map(rowAt);
    expect(withRealisticWeather(rows, 5)).toEqual(withRealisticWeather(rows, 5));
    expect(withRealisticWeather(rows, 6)).not.toEqual(withRealisticWeather(rows, 5));
    expect(rows[0]).toEqual(rowAt(1)); // the input is not changed
  });

  it("gives errors with the error model's spread, growing from day 1 to day 7", () => {
    const t1 = rmsChange(1, 'temperature_mean');
    const t7 = rmsChange(7, 'temperature_mean');
    // 4,000 draws: the sample spread is within 5% of the model's (its standard error is about 1%).
    expect(Math.abs(t1 / errorSd(WEATHER_ERRORS.temperature_mean, 1) - 1)).toBeLessThan(0.05);
    expect(Math.abs(t7 / errorSd(WEATHER_ERRORS.temperature_mean, 7) - 1)).toBeLessThan(0.05);
    expect(rmsChange(7, 'pressure_mean')).toBeGreaterThan(3 * rmsChange(1, 'pressure_mean'));
  });

  it('leaves the issue day and before observed, other rows and columns as they were, and no negative rain or wind', () => {
    const [one, two, three] = withRealisticWeather([rowAt(1), rowAt(2), rowAt(3)], 2);
    for (const f of WEATHER_FEATURES) {
      // The day before a 1-day forecast is the issue day; two days before it (and before a 2-day one) is earlier still.
      expect([one![`prev_${f}`], one![`prev2_${f}`], two![`prev2_${f}`]]).toEqual([rowAt(1)[`prev_${f}`], rowAt(1)[`prev2_${f}`], rowAt(2)[`prev2_${f}`]]);
    }
    expect(three!.prev_temperature_mean).not.toBe(5); // the day before a 3-day forecast is itself 2 days ahead
    expect(three!.prev2_temperature_mean).not.toBe(5); // and two days before it, 1 day ahead
    expect([one!.issue_pm25, one!.days_ahead]).toEqual([80, 1]);
    for (const r of withRealisticWeather(
      Array.from({ length: 2000 }, () => rowAt(7)),
      3,
    )) {
      expect(r.precipitation_sum as number).toBeGreaterThanOrEqual(0);
      expect(r.wind_speed_max as number).toBeGreaterThanOrEqual(0);
    }
  });
});
