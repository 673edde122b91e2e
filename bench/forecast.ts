// Benchmark: the Beijing backtest (train before 2016-03-01, forecast every later day) at every station and at three stations
// left out of training, each with the recorded weather and with realistic weather forecasts (seed 1); on the held-out
// stations, the XGBoost reference on the same rows (its floor, where Debian's xgboost is installed); and a 7-day forecast
// of every station.
import { backfillBeijing } from '../src/airquality/pipelines/beijing-pipeline.js';
import { backtest, backtestSplit, type BacktestOptions } from '../src/airquality/forecast/backtest.js';
import type { HorizonMetrics } from '../src/airquality/forecast/evaluate.js';
import { forecastAll } from '../src/airquality/forecast/forecast.js';
import { trainForecaster } from '../src/airquality/forecast/train.js';
import { WEATHER_FEATURES } from '../src/airquality/forecast/view.js';
import { FeatureStore } from '../src/store/index.js';
import { round, withScratchDir } from './common.js';
import { xgboostCli, xgboostReferenceRmse } from './xgboost-reference.js';

const TEST_START = '2016-03-01';
/** Stations never trained on: one central, one south-east, one rural north-east. */
export const HELD_OUT = ['beijing-dongsi', 'beijing-tiantan', 'beijing-shunyi'];
/** The reference: the target day's weather and the PM2.5 of the issue day and the two days before. */
const WEATHER_LAGS = [...WEATHER_FEATURES, 'issue_pm25', 'issue_pm25_lag1', 'issue_pm25_lag2'];
/** The goal: our RMSE at most this share of the reference's at every horizon. */
const GOAL_RATIO = 0.85;

const rounded = (hs: HorizonMetrics[]) => hs.map((h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, round(v, 3)])));

/** XGBoost's RMSE per horizon on the same held-out rows, with the reference's inputs and with ours, and our RMSE as a share of each. */
async function reference(store: FeatureStore, options: BacktestOptions, ours: HorizonMetrics[]) {
  const cli = xgboostCli();
  if (!cli) return { skipped: 'xgboost is not installed (Debian package xgboost)' };
  const { train, valid, test } = await backtestSplit(store, options);
  const ratio = (ref: number[]) => ours.map((h) => round(h.rmse / ref[h.h - 1]!, 3));
  const weatherLags = await xgboostReferenceRmse(cli, train, valid, test, WEATHER_LAGS);
  const sameInputs = await xgboostReferenceRmse(cli, train, valid, test);
  return {
    xgboost_weather_lags_rmse: weatherLags.map((x) => round(x, 2)),
    ratio_to_weather_lags: ratio(weatherLags),
    goal_ratio: GOAL_RATIO,
    meets_goal: ratio(weatherLags).every((r) => r <= GOAL_RATIO),
    xgboost_same_inputs_rmse: sameInputs.map((x) => round(x, 2)),
    ratio_to_same_inputs: ratio(sameInputs),
  };
}

export async function benchForecast(path: string, log: (s: string) => void = () => undefined) {
  return withScratchDir(async (dir) => {
    const store = await FeatureStore.open({ dir });
    try {
      await backfillBeijing(store, path);
      const run = async (label: string, options: BacktestOptions) => {
        log(`backtesting ${label}`);
        return backtest(store, options);
      };
      const shared = { testStart: TEST_START };
      const heldOut = { testStart: TEST_START, testLocations: HELD_OUT };
      const perfect = await run('every station, recorded weather', shared);
      const realistic = await run('every station, realistic weather', { ...shared, weather: 'realistic', seed: 1 });
      const heldPerfect = await run('held-out stations, recorded weather', heldOut);
      const heldRealistic = await run('held-out stations, realistic weather', { ...heldOut, weather: 'realistic', seed: 1 });
      log('the XGBoost reference on the held-out stations');
      const ref = await reference(store, heldOut, heldPerfect.horizons);
      log('training the served model up to 2017-02-21');
      await trainForecaster(store, '2017-02-21');
      const t0 = performance.now();
      const f = await forecastAll(store, '2017-02-21');
      const forecastSeconds = round((performance.now() - t0) / 1000, 3);
      return {
        horizons: rounded(perfect.horizons),
        horizons_realistic_weather: rounded(realistic.horizons),
        held_out: {
          locations: HELD_OUT,
          horizons: rounded(heldPerfect.horizons),
          horizons_realistic_weather: rounded(heldRealistic.horizons),
          reference: ref,
        },
        train_seconds: perfect.train_seconds,
        train_rows: perfect.train_rows,
        test_rows: perfect.test_rows,
        forecast_locations: f.locations.length,
        forecast_seconds: forecastSeconds,
      };
    } finally {
      await store.close();
    }
  });
}
