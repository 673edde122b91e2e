// The forecaster on a slice of the real Beijing data: point-in-time features, a backtest against baselines, JSON.
import { describe, expect, it } from 'vitest';
import { backfillBeijing } from '../../../src/airquality/pipelines/beijing-pipeline.js';
import { backtest } from '../../../src/airquality/forecast/backtest.js';
import { Forecaster } from '../../../src/airquality/forecast/model.js';
import { writeTargets } from '../../../src/airquality/forecast/targets.js';
import { forecastView } from '../../../src/airquality/forecast/view.js';
import { col, type Row } from '../../../src/store/index.js';
import { dataDir } from '../../helpers/data.js';
import { tempStore } from '../../helpers/tmp.js';
import { copyStations } from '../../helpers/beijing-slice.js';

const beijing = dataDir('beijing');

describe.skipIf(!beijing)('PM2.5 forecaster on real data', () => {
  it('builds features from the target day and the issue day only, and beats both baselines in a backtest', async () => {
    const store = await tempStore();
    await backfillBeijing(store, copyStations(beijing!, ['Dongsi', 'Shunyi', 'Tiantan']), { start: '2014-03-01', end: '2015-06-30' });
    await writeTargets(store);

    // Point in time: a 3-day-ahead row has the target day's weather and the issue day's PM2.5, nothing later.
    const fv = await forecastView(store);
    const td = await fv.trainingData({
      extraFilter: col('location_id').eq('beijing-dongsi'),
      includeTrainingHelperColumns: true,
      startTime: '2015-01-20',
      endTime: '2015-01-20',
    });
    const i = td.features.findIndex((f) => f.days_ahead === 3);
    const aq = await store.getFeatureGroup('air_quality').read();
    const weather = await store.getFeatureGroup('weather').read();
    const at = (rows: Row[], date: string) => rows.find((r) => r.location_id === 'beijing-dongsi' && r.date === date)!;
    expect(td.labels[i]!.pm25).toBe(at(aq, '2015-01-20').pm25);
    expect(td.features[i]!.issue_pm25).toBe(at(aq, '2015-01-17').pm25);
    expect(td.features[i]!.temperature_mean).toBe(at(weather, '2015-01-20').temperature_mean);
    expect(td.features[i]!.prev_wind_u).toBe(at(weather, '2015-01-19').wind_u);

    const r = await backtest(store, { testStart: '2015-03-01', testEnd: '2015-06-30', validationDays: 60 });
    expect(r.horizons.map((h) => h.h)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const h of r.horizons) {
      expect(h.n).toBeGreaterThan(300);
      expect(h.rmse, `h=${h.h}`).toBeLessThan(h.rmse_persistence);
      expect(h.rmse, `h=${h.h}`).toBeLessThan(h.rmse_climatology);
      expect(h.coverage80).toBeGreaterThan(0.6);
      expect(h.coverage80).toBeLessThan(0.95);
    }

    // The saved model predicts exactly what the trained one does.
    const back = Forecaster.fromJSON(JSON.parse(JSON.stringify(r.forecaster!.toJSON())));
    const sample = td.features;
    expect(back.predict(sample)).toEqual(r.forecaster!.predict(sample));
    for (const p of back.predict(sample)) expect(p.lower < p.pm25 && p.pm25 < p.upper && p.lower >= 0).toBe(true);
    expect(r.forecaster!.toJSON().format).toBe('airq-forecaster-2');
    for (const h of r.horizons) expect([h.degenerate80, h.width80 > 0, h.interval_score80 >= h.width80]).toEqual([0, true, true]);

    // The analog ensemble on the same split: weather-only, so the same for every horizon; better
    // than persistence from day 2 on, and no match for the GBDT.
    const analog = await backtest(store, { testStart: '2015-03-01', testEnd: '2015-06-30', validationDays: 60, model: 'analog' });
    expect(analog.forecaster).toBeUndefined();
    for (const h of analog.horizons.filter((x) => x.h >= 2)) expect(h.rmse).toBeLessThan(h.rmse_persistence);
    expect(analog.horizons[6]!.rmse).toBeGreaterThan(r.horizons[6]!.rmse);
    expect(analog.horizons[0]!.coverage80).toBeGreaterThan(0.5);
  }, 120_000);

  it('holds out test locations from training', async () => {
    const store = await tempStore();
    await backfillBeijing(store, copyStations(beijing!, ['Dongsi', 'Shunyi']), { start: '2014-09-01', end: '2015-04-30' });
    await expect(backtest(store, { testStart: '2015-03-01', testLocations: ['beijing-nowhere'] })).rejects.toThrow(/unknown test location "beijing-nowhere"/);
    const r = await backtest(store, { testStart: '2015-03-01', testLocations: ['beijing-shunyi'], validationDays: 40 });
    // Only Dongsi trains (2014-09-01 + 1 day .. 2015-01-19 targets), only Shunyi is tested (61 days x 7 horizons, minus missing days).
    expect(r.test_rows).toBeLessThanOrEqual(61 * 7);
    expect(r.test_rows).toBeGreaterThan(300);
    expect(r.train_rows).toBeLessThan(140 * 7);
  }, 60_000);
});
