// Benchmark: the full Beijing backtest (train before 2016-03-01, forecast every later day) with the recorded weather and with realistic weather forecasts (seed 1), and a 7-day forecast of every station.
import { backfillBeijing } from '../src/airquality/pipelines/beijing-pipeline.js';
import { backtest } from '../src/airquality/forecast/backtest.js';
import { forecastAll } from '../src/airquality/forecast/forecast.js';
import { trainForecaster } from '../src/airquality/forecast/train.js';
import { FeatureStore } from '../src/store/index.js';
import { round, withScratchDir } from './common.js';

export async function benchForecast(path: string, log: (s: string) => void = () => undefined) {
  return withScratchDir(async (dir) => {
    const store = await FeatureStore.open({ dir });
    try {
      await backfillBeijing(store, path);
      log('imported; backtesting from 2016-03-01');
      const b = await backtest(store, { testStart: '2016-03-01' });
      const rounded = (hs: typeof b.horizons) => hs.map((h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, round(v, 3)])));
      log('backtesting again with realistic weather forecasts');
      const realistic = await backtest(store, { testStart: '2016-03-01', weather: 'realistic', seed: 1 });
      log('training the served model up to 2017-02-21');
      await trainForecaster(store, '2017-02-21');
      const t0 = performance.now();
      const f = await forecastAll(store, '2017-02-21');
      const forecastSeconds = round((performance.now() - t0) / 1000, 3);
      return {
        horizons: rounded(b.horizons),
        horizons_realistic_weather: rounded(realistic.horizons),
        train_seconds: b.train_seconds,
        train_rows: b.train_rows,
        test_rows: b.test_rows,
        forecast_locations: f.locations.length,
        forecast_seconds: forecastSeconds,
      };
    } finally {
      await store.close();
    }
  });
}
