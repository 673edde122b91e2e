// The synthetic city: deterministic, realistic in the ways the forecasts rely on, labelled, and run like a real source.
import { describe, expect, it } from 'vitest';
import { runSynthetic, SYNTHETIC_LOCATION } from '../../src/airquality/pipelines/synthetic-pipeline.js';
import { syntheticDays, syntheticForecast } from '../../src/airquality/sources/synthetic.js';
import { col } from '../../src/store/index.js';
import { tempStore } from '../helpers/tmp.js';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('synthetic source', () => {
  it('is deterministic for a seed and the same whatever range is asked for', () => {
    const a = syntheticDays('2020-12-31');
    expect(syntheticDays('2020-12-31')).toEqual(a);
    expect(syntheticDays('2021-06-30').slice(0, a.length)).toEqual(a);
    expect(syntheticDays('2020-12-31', 2)).not.toEqual(a);
  });

  it('behaves like a city: seasons, persistence, cleaner air with wind and rain, dirtier with winter stagnation', () => {
    const d = syntheticDays('2024-12-31');
    const pm = d.map((x) => x.pm25);
    const m = mean(pm);
    let num = 0;
    let den = 0;
    for (let i = 1; i < pm.length; i++) {
      num += (pm[i]! - m) * (pm[i - 1]! - m);
      den += (pm[i]! - m) ** 2;
    }
    expect(num / den).toBeGreaterThan(0.5); // yesterday matters
    expect(mean(d.filter((x) => /-(12|01|02)-/.test(x.date)).map((x) => x.pm25))).toBeGreaterThan(
      mean(d.filter((x) => /-(06|07|08)-/.test(x.date)).map((x) => x.pm25)),
    );
    expect(mean(d.filter((x) => x.windSpeed > 4).map((x) => x.pm25))).toBeLessThan(mean(d.filter((x) => x.windSpeed < 1.5).map((x) => x.pm25)));
    expect(mean(d.filter((x) => x.precipitation > 5).map((x) => x.pm25))).toBeLessThan(m);
    expect(Math.min(...pm)).toBeGreaterThan(0);
  });

  it('forecasts err more the further ahead they look', () => {
    const days = syntheticDays('2023-12-31').slice(-365);
    const err = (lead: number) => mean(days.map((d) => Math.abs(syntheticForecast(d, lead).temperature - d.temperature)));
    expect(err(1)).toBeLessThan(err(4));
    expect(err(4)).toBeLessThan(err(7));
  });
});

describe('synthetic pipeline', () => {
  it('writes labelled rows, forecasts after the end date, and daily runs that agree with the backfill', async () => {
    const store = await tempStore();
    await runSynthetic(store, { start: '2024-01-01', end: '2024-03-01', forecastDays: 7 });
    expect(await store.getFeatureGroup('locations').getOnline(SYNTHETIC_LOCATION.location_id)).toMatchObject({
      source: 'synthetic',
      name: 'Synthetic City (synthetic data)',
    });
    const weather = store.getFeatureGroup('weather');
    expect(await weather.filter(col('is_forecast').eq(true)).count()).toBe(7);
    const daily = await runSynthetic(store, { start: '2024-03-02', end: '2024-03-02', forecastDays: 7 });
    expect(daily.days).toBe(1);
    expect((await weather.filter(col('date').eq('2024-03-02')).read())[0]).toMatchObject({ is_forecast: false });
    const reference = await tempStore();
    await runSynthetic(reference, { start: '2024-01-01', end: '2024-03-02' });
    const q = (s: typeof store) => s.getFeatureGroup('air_quality_lags').filter(col('date').eq('2024-03-02')).read();
    expect(await q(store)).toEqual(await q(reference));
    expect(Object.values((await runSynthetic(store, { start: '2024-03-02', end: '2024-03-02', forecastDays: 7 })).commits)).toEqual([null, null, null, null]);
  });
});
