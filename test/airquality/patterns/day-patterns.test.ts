// Day patterns: fixed-scale vectors, an incremental embedding pipeline, and similar past days.
import { describe, expect, it } from 'vitest';
import { runSynthetic } from '../../../src/airquality/pipelines/synthetic-pipeline.js';
import { dayPatternsGroup, PATTERN_DIM, patternVector, weatherVector, writeDayPatterns } from '../../../src/airquality/patterns/day-patterns.js';
import { findSimilarDays } from '../../../src/airquality/patterns/similar-days.js';
import { tempStore } from '../../helpers/tmp.js';

describe('day patterns', () => {
  it('puts each weather value on a fixed scale, missing values at the centre', () => {
    const day = {
      temperature_mean: 22,
      dew_point_mean: 12,
      pressure_mean: 1003,
      precipitation_sum: Math.E ** 1.5 - 1,
      wind_u: 3,
      wind_v: -6,
      wind_speed_max: 8,
    };
    const w = weatherVector(day, undefined);
    expect(w.slice(0, 7).map((x) => Math.round(x * 1000) / 1000)).toEqual([1, 1, -1, 1, 1, -2, 1]);
    expect(w.slice(7)).toEqual([0, 0, 0, 0, 0, 0, 0]); // no day before: every value at its centre
    // log1p(PM2.5) / 1.5 - 2.5: a missing value sits at the centre (about 41 µg/m³).
    expect(
      patternVector(w, { pm25_lag1: Math.E ** 5.25 - 1, pm25_lag2: null, pm25_mean_7d: Math.E ** 3.75 - 1 })
        .slice(14)
        .map((x) => Math.round(x * 1000) / 1000),
    ).toEqual([1, 0, 0]);
    expect(patternVector(w, undefined)).toHaveLength(PATTERN_DIM);
  });

  it('embeds every observed day once, keeps new days searchable, and finds similar past days', async () => {
    const store = await tempStore();
    await runSynthetic(store, { start: '2023-01-01', end: '2023-12-31', seed: 1 });
    const first = await writeDayPatterns(store);
    expect(first.days).toBeGreaterThan(350);
    expect(first.inserted).toBe(first.days);
    expect((await writeDayPatterns(store)).inserted).toBe(0); // idempotent

    // A daily run, then the incremental update: the new day is searchable at once.
    await expect(findSimilarDays(store, 'synthetic-city', '2024-01-01')).rejects.toThrow(/no day pattern for synthetic-city on 2024-01-01/);
    await runSynthetic(store, { start: '2024-01-01', end: '2024-01-01', forecastDays: 7, seed: 1 });
    expect((await writeDayPatterns(store, { since: '2024-01-01' })).inserted).toBe(1);
    const r = await findSimilarDays(store, 'synthetic-city', '2024-01-01', { k: 5 });
    expect(r.similar).toHaveLength(5);
    expect(r.similar.every((d) => d.date < '2024-01-01' && d.location_id === 'synthetic-city')).toBe(true);
    expect(r.similar.map((d) => d.distance)).toEqual([...r.similar.map((d) => d.distance)].sort((a, b) => a - b));
    expect(r.similar.every((d) => d.next_days.length === 3)).toBe(true);
    // The nearest is the exact nearest among earlier days.
    const fg = await dayPatternsGroup(store);
    const [self] = await fg.read().then((rows) => rows.filter((x) => x.date === '2024-01-01'));
    const exact = (await fg.findNeighbors(self!.pattern_vec as number[], { k: 2, column: 'pattern_vec', exact: true })).filter(
      (n) => n.row.date !== '2024-01-01',
    );
    expect(r.similar[0]!.date).toBe(exact[0]!.row.date);
  });
});
