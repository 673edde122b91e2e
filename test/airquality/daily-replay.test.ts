// Daily runs in replay mode over the real Beijing data: forecasts replaced by observations, time travel, idempotency.
import { describe, expect, it } from 'vitest';
import { backfillBeijing, dailyBeijing, runBeijing } from '../../src/airquality/pipelines/beijing-pipeline.js';
import { and, col } from '../../src/store/index.js';
import { dataDir } from '../helpers/data.js';
import { tempStore } from '../helpers/tmp.js';

const dir = dataDir('beijing');
const dongsi = (date: string) => and(col('location_id').eq('beijing-dongsi'), col('date').eq(date));

describe.skipIf(!dir)('daily replay (real data)', () => {
  it('replaces replayed forecasts with observations, keeps them visible by time travel, and re-runs write nothing', async () => {
    const store = await tempStore();
    // The store as it was at the end of 2017-02-10: observations since January, forecasts for 02-11..02-17.
    await runBeijing(store, dir!, { start: '2017-01-01', end: '2017-02-10', forecastDays: 7 });
    const weather = store.getFeatureGroup('weather');
    const forecast = (await weather.filter(dongsi('2017-02-11')).read())[0]!;
    expect(forecast).toMatchObject({ is_forecast: true, forecast_issued_on: '2017-02-10' });
    expect((await weather.filter(dongsi('2017-02-17')).read())[0]!.is_forecast).toBe(true);
    expect(await weather.filter(dongsi('2017-02-18')).count()).toBe(0);
    const beforeDaily = (await weather.commits())[0]!.commitId;

    const run = await dailyBeijing(store, dir!, '2017-02-11');
    expect(run.days).toBe(10);
    const observed = (await weather.filter(dongsi('2017-02-11')).read())[0]!;
    expect(observed).toMatchObject({ is_forecast: false, forecast_issued_on: null });
    // a perfect forecast: the same weather, now as an observation
    expect(observed.temperature_mean).toBe(forecast.temperature_mean);
    expect((await weather.asOf(beforeDaily).filter(dongsi('2017-02-11')).read())[0]).toEqual(forecast);
    expect((await weather.filter(dongsi('2017-02-18')).read())[0]).toMatchObject({ is_forecast: true, forecast_issued_on: '2017-02-11' });

    // lags of the new day come from the history already in the store
    const aq = store.getFeatureGroup('air_quality');
    const lags = (await store.getFeatureGroup('air_quality_lags').filter(dongsi('2017-02-11')).read())[0]!;
    expect(lags.pm25_lag1).toBe((await aq.filter(dongsi('2017-02-10')).read())[0]!.pm25);
    expect(lags.pm25_lag7).toBe((await aq.filter(dongsi('2017-02-04')).read())[0]!.pm25);

    // re-running the same day writes nothing; the next days go on
    expect(Object.values((await dailyBeijing(store, dir!, '2017-02-11')).commits)).toEqual([null, null, null, null]);
    await dailyBeijing(store, dir!, '2017-02-12');
    await dailyBeijing(store, dir!, '2017-02-13');
    expect(await aq.filter(col('date').ge('2017-02-11')).count()).toBe(30);

    // the daily path and the backfill path give the same observations for the same day
    const reference = await tempStore();
    await backfillBeijing(reference, dir!, { start: '2017-02-01', end: '2017-02-13' });
    const a = await aq.filter(col('date').between('2017-02-11', '2017-02-13')).read();
    const b = await reference.getFeatureGroup('air_quality').filter(col('date').between('2017-02-11', '2017-02-13')).read();
    expect(a).toEqual(b);
  });
});

describe.skipIf(!dir)('a failed run', () => {
  it('writes nothing of that run', async () => {
    const store = await tempStore();
    await runBeijing(store, dir!, { start: '2017-02-01', end: '2017-02-05' });
    const before = await Promise.all(store.listFeatureGroups().map(async (g) => [g.name, await g.count(), (await g.commits()).length]));
    // a stricter suite on the last group written makes the next run fail after the first three inserts
    await store.getFeatureGroup('air_quality_lags').setExpectationSuite({ expectations: [{ kind: 'valuesBetween', column: 'pm25_lag1', max: 1 }] });
    await expect(runBeijing(store, dir!, { start: '2017-02-06', end: '2017-02-08', forecastDays: 7 })).rejects.toThrow(/pm25_lag1 between/);
    const after = await Promise.all(store.listFeatureGroups().map(async (g) => [g.name, await g.count(), (await g.commits()).length]));
    expect(after).toEqual(before);
  });
});
