// The training pipeline: a temporal split of air_quality_fv, the forecaster, metrics against baselines, and the registry.
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, isoDateToEpochDays } from '../../core/dates.js';
import { diskFullError, isNoSpace } from '../../core/disk-full.js';
import { AppError, NotFoundError, ValidationError } from '../../core/errors.js';
import { col, type FeatureStore, type Model } from '../../store/index.js';
import { importanceChart, predictedVsActualChart, writeChart } from '../charts/charts.js';
import { climatologyOf, concatRows, evalRows, MIN_TRAIN_DAYS, type SplitRows } from './backtest.js';
import { testDaysFor, validationDaysFor } from './periods.js';
import { metricsByHorizon, type HorizonMetrics } from './evaluate.js';
import { Forecaster } from './model.js';
import { withRealisticWeather } from './weather-errors.js';
import { writeTargets } from './targets.js';
import { FORECAST_VIEW, forecastView } from './view.js';
import { listLocations } from '../services/locations.js';
import { rmse } from '../../ml/index.js';

export const MODEL_NAME = 'pm25_forecaster';
export const MODEL_FILE = 'forecaster.json';
/** The seed of the weather-forecast errors a trained model is calibrated and judged with (the same data: the same model). */
const WEATHER_SEED = 1;

export interface TrainResult {
  model: Model;
  /** True when the same data and code had already made this version: nothing new was registered. */
  reused: boolean;
  horizons: HorizonMetrics[];
  train_seconds: number;
  split: { trainEnd: string; validationStart: string; validationEnd: string; testStart: string; testEnd: string };
}

/**
 * Trains on observed targets up to `today`: the last ~15% of days (at most 180) are the test period, a third of the days
 * before it (at most a year) the validation period that chooses the models, measures the bias and calibrates the interval,
 * the rest training. The metrics are that model's on the test days; then it is fitted again on every day up to `today`
 * (so it learns from the newest), and that refit is registered with those metrics and the validation RMSE that picks the
 * served version.
 */
export async function trainForecaster(store: FeatureStore, today: string): Promise<TrainResult> {
  await writeTargets(store);
  const fv = await forecastView(store);
  const dates = await store.getFeatureGroup('forecast_targets').select(['date', 'pm25']).filter(col('pm25').notNull()).filter(col('date').le(today)).read();
  if (dates.length === 0) throw new ValidationError('no observed PM2.5 to train on; run `airq pipeline backfill` (or `airq demo`) first');
  const first = dates.reduce((m, r) => ((r.date as string) < m ? (r.date as string) : m), today);
  const span = isoDateToEpochDays(today) - isoDateToEpochDays(first) + 1;
  const testDays = testDaysFor(span);
  const validDays = validationDaysFor(span - testDays);
  if (span < testDays + validDays + MIN_TRAIN_DAYS)
    throw new ValidationError(`only ${span} days of history up to ${today}; training needs at least ${testDays + validDays + MIN_TRAIN_DAYS}`);
  const testStart = addDays(today, -testDays + 1);
  const validationStart = addDays(testStart, -validDays);
  const split = { trainEnd: addDays(validationStart, -1), validationStart, validationEnd: addDays(testStart, -1), testStart, testEnd: today };
  const data = await fv.trainValidationTestSplit(split, { extraFilter: col('pm25').notNull(), includeTrainingHelperColumns: true });
  const rows = (s: { features: SplitRows['features']; labels: SplitRows['labels']; helpers?: SplitRows['helpers'] }): SplitRows => ({
    ...s,
    helpers: s.helpers ?? [],
  });
  const train = rows(data.train);
  const valid = rows(data.validation);
  const test = rows(data.test);
  const t0 = performance.now();
  // A served forecast reads weather forecasts: its interval is calibrated on the validation days with forecast errors.
  const chosen = Forecaster.train(train, valid, { ...valid, features: withRealisticWeather(valid.features, WEATHER_SEED + 1) });
  const evaluated = evalRows(test, chosen.predict(test.features));
  const horizons = metricsByHorizon(evaluated, climatologyOf(train));
  const realistic = metricsByHorizon(evalRows(test, chosen.predict(withRealisticWeather(test.features, WEATHER_SEED))), climatologyOf(train));
  const validPred = chosen.predict(valid.features).map((p) => p.pm25);
  const forecaster = chosen.refit(concatRows(concatRows(train, valid), test));
  const train_seconds = Math.round((performance.now() - t0) / 10) / 100;
  const metrics: Record<string, number> = {
    validation_rmse: rmse(
      valid.labels.map((l) => l.pm25 as number),
      validPred,
    ),
  };
  const keys = [
    'rmse',
    'mae',
    'r2',
    'bias',
    'coverage80',
    'width80',
    'interval_score80',
    'rmse_persistence',
    'rmse_climatology',
    'skill_persistence',
    'skill_climatology',
  ] as const;
  const record = (hs: HorizonMetrics[], suffix: string) => {
    for (const h of hs) for (const k of keys) if (Number.isFinite(h[k])) metrics[`${k}${suffix}_h${h.h}`] = Math.round(h[k] * 1000) / 1000;
  };
  // With the recorded weather (a perfect forecast), and as served: with weather forecasts (the accuracy it states).
  record(horizons, '');
  record(realistic, '_realistic');
  const artifact = JSON.stringify(forecaster.toJSON());
  const tags = {
    places: (await currentPlaces(store)).join(','),
    fingerprint: createHash('sha256').update(`${FORECAST_VIEW.name}@${fv.version}\n${artifact}`).digest('hex'),
  };
  // Training is deterministic: the same data and code give the same artifact, and that is the same model.
  // A version whose artifacts were changed or damaged since is not that model: a new version replaces it.
  const same = store.registry.findByTags(MODEL_NAME, tags).find((m) => m.problems().length === 0);
  if (same) return { model: same, reused: true, horizons, train_seconds, split };
  // In the store, not the system temp directory: what a killed training leaves is removed by the next writer.
  const dir = store.makeTempDir('train');
  try {
    writeFileSync(join(dir, MODEL_FILE), artifact);
    writeFileSync(join(dir, 'metrics.json'), JSON.stringify({ split, horizons, train_seconds }, null, 2));
    const images = join(dir, 'images');
    writeChart(images, 'feature_importance', importanceChart(forecaster.featureImportance()));
    const h1 = evaluated.filter((r) => r.features.days_ahead === 1);
    writeChart(
      images,
      'predicted_vs_actual',
      predictedVsActualChart(
        h1.map((r) => r.actual),
        h1.map((r) => r.prediction.pm25),
        `1 day ahead, test period ${testStart} to ${today}`,
      ),
    );
    const draft = await store.registry.createModel({
      name: MODEL_NAME,
      description:
        `Daily PM2.5 1-7 days ahead: gradient-boosted trees (mean) and quantile trees (80% interval, conformally calibrated), ` +
        `chosen and calibrated on ${split.validationStart}..${split.validationEnd}, tested on ${testStart}..${today} (the metrics), then refit on every day through ${today}.`,
      metrics,
      featureView: FORECAST_VIEW,
      trainingDatasetVersion: data.version,
      inputExample: train.features[0],
      // The last day it learned from: a forecast issued before it would have seen its own future.
      tags: { ...tags, trained_through: today },
    });
    const model = await draft.save(dir).catch((e: unknown) => {
      // Copying the artifacts into the store: Node's ENOSPC on a write names no file.
      if (e instanceof AppError || !isNoSpace(e)) throw e;
      throw diskFullError(
        join(store.dir, 'models'),
        'saving the model artifacts',
        'the store keeps its last committed state and no model version was registered',
      );
    });
    return { model, reused: false, horizons, train_seconds, split };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The places a model is trained on: the store's locations, by id (a model's "places" tag; cached until locations change). */
export async function currentPlaces(store: FeatureStore): Promise<string[]> {
  return (await listLocations(store)).map((l) => l.location_id);
}

/**
 * The version to serve: among versions trained on this store's current data — the current version of
 * the feature view and the same places — the one trained through the latest day, and of those the best
 * validation RMSE (errors on other data do not compare).
 * With `issuedOn`, only versions trained on data up to that day: a forecast for days a model has seen is
 * not a forecast.
 */
export async function servedModel(store: FeatureStore, options: { issuedOn?: string } = {}): Promise<Model> {
  const all = store.registry.list(MODEL_NAME);
  if (all.length === 0) throw new NotFoundError('this store has no trained forecaster yet; run `airq train` (or `airq demo`) first');
  const places = (await currentPlaces(store)).join(',');
  // Models registered before the places tag: the old rule, when no version says what it was trained on.
  const legacy = all.every((m) => m.meta.tags.places === undefined);
  const fits = (m: Model) => legacy || (m.meta.featureView.version === FORECAST_VIEW.version && m.meta.tags.places === places);
  if (!all.some(fits))
    throw new NotFoundError(
      `none of the ${all.length} pm25_forecaster version(s) was trained on this store's current places (${places.split(',').length}) and inputs (${FORECAST_VIEW.name} v${FORECAST_VIEW.version}); run \`airq train\` (or \`airq run\`)`,
    );
  const seen = (m: Model) => options.issuedOn !== undefined && (m.meta.tags.trained_through ?? '') > options.issuedOn;
  if (!all.some((m) => fits(m) && !seen(m))) {
    const through = all.filter(fits).map((m) => m.meta.tags.trained_through!);
    throw new ValidationError(
      `every pm25_forecaster for this store learned from days after ${options.issuedOn} (trained through ${through.sort()[0]} at the earliest), so it cannot forecast from that day; ` +
        `train one through it first: \`airq train --today ${options.issuedOn}\``,
    );
  }
  // Each training sees more recent data, and validation errors of different periods do not compare: the
  // newest data wins; among versions trained through the same day, the best validation RMSE.
  const newest = all
    .filter((m) => fits(m) && !seen(m))
    .map((m) => m.meta.tags.trained_through ?? '')
    .reduce((a, b) => (a > b ? a : b));
  const tier = (m: Model) => fits(m) && !seen(m) && (m.meta.tags.trained_through ?? '') === newest;
  // A version whose artifacts were changed since it was saved gives way to an intact one of the same tier (the
  // retrain its load error asks for); when none is intact, it is chosen and its load says what is wrong.
  const intact = all.some((m) => tier(m) && m.problems().length === 0);
  return store.registry.getBestModel(MODEL_NAME, 'validation_rmse', 'min', (m) => tier(m) && (!intact || m.problems().length === 0));
}
