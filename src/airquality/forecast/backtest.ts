// Backtests: train on everything before a test period (optionally without some locations), forecast every day of it.
import { addDays } from '../../core/dates.js';
import { ValidationError } from '../../core/errors.js';
import { col, type FeatureStore, type Row } from '../../store/index.js';
import { Climatology, metricsByHorizon, monthOf, type EvalRow, type HorizonMetrics } from './evaluate.js';
import { Forecaster, type Prediction } from './model.js';
import { analogForecast } from '../patterns/analog.js';
import { dayPatternsGroup, writeDayPatterns } from '../patterns/day-patterns.js';
import { writeTargets } from './targets.js';
import { forecastView } from './view.js';
import { listLocations } from '../services/locations.js';
import { observedDays, observedIn } from '../services/observed.js';
import { withRealisticWeather } from './weather-errors.js';
import { validationDaysFor } from './periods.js';

export interface BacktestOptions {
  testStart: string;
  testEnd?: string;
  /** Locations left out of training entirely and the only ones tested: how well does it do somewhere new? */
  testLocations?: string[];
  /** Days before testStart used for early stopping, the bias and interval calibration (default: validationDaysFor the history). */
  validationDays?: number;
  /** gbdt (default) or analog: the analog ensemble over day patterns (weather of the day and the day before). */
  model?: 'gbdt' | 'analog';
  /** perfect (default): the test days read the weather later recorded; realistic: that weather with forecast errors (weather-errors.ts). */
  weather?: 'perfect' | 'realistic';
  /** The seed of the realistic weather's errors (default 1). */
  seed?: number;
}

export interface SplitRows {
  features: Row[];
  labels: Row[];
  helpers: Row[];
}

export interface BacktestResult {
  horizons: HorizonMetrics[];
  train_seconds: number;
  train_rows: number;
  /** Days before the test that chose, measured and calibrated the model (it was then refit on them too). */
  validation_days: number;
  validation_rows: number;
  test_rows: number;
  training_dataset_version: number;
  model: 'gbdt' | 'analog';
  weather: 'perfect' | 'realistic';
  /** The realistic weather's seed (absent for perfect weather). */
  seed?: number;
  /** The trained GBDT forecaster (absent for the analog ensemble, which has nothing to train). */
  forecaster?: Forecaster;
}

function keep(split: { features: Row[]; labels: Row[]; helpers?: Row[] }, test: (location: string, issued: string) => boolean): SplitRows {
  const out: SplitRows = { features: [], labels: [], helpers: [] };
  split.features.forEach((f, i) => {
    const h = split.helpers![i]!;
    if (!test(h.location_id as string, addDays(h.date as string, -(f.days_ahead as number)))) return;
    out.features.push(f);
    out.labels.push(split.labels[i]!);
    out.helpers.push(h);
  });
  return out;
}

/** The rows of `a`, then those of `b`. */
export function concatRows(a: SplitRows, b: SplitRows): SplitRows {
  return { features: [...a.features, ...b.features], labels: [...a.labels, ...b.labels], helpers: [...a.helpers, ...b.helpers] };
}

export function climatologyOf(split: SplitRows): Climatology {
  return new Climatology(
    split.helpers.map((h, i) => ({ location_id: h.location_id as string, month: monthOf(h.date as string), pm25: split.labels[i]!.pm25 as number })),
  );
}

export function evalRows(split: SplitRows, predictions: readonly Prediction[]): EvalRow[] {
  return split.features.map((features, i) => ({
    location_id: split.helpers[i]!.location_id as string,
    date: split.helpers[i]!.date as string,
    features,
    actual: split.labels[i]!.pm25 as number,
    prediction: predictions[i]!,
  }));
}

/** Days of training a backtest needs before its validation days, and observed test days it needs to judge anything. */
export const MIN_TRAIN_DAYS = 60;
export const MIN_TEST_DAYS = 7;

/** The shortest history (days) that leaves MIN_TRAIN_DAYS before its validation days. */
function firstWorkingHistory(validationDays: number | undefined): number {
  let days = MIN_TRAIN_DAYS;
  while (days - (validationDays ?? validationDaysFor(days)) < MIN_TRAIN_DAYS) days++;
  return days;
}

/**
 * Refuses, before anything is written, a backtest the data cannot judge: unknown places, dates outside the data, too short a
 * window. Returns the validation days it will use.
 */
export async function checkBacktest(store: FeatureStore, options: BacktestOptions): Promise<number> {
  const { testStart, testEnd } = options;
  if (testEnd !== undefined && testEnd < testStart) throw new ValidationError(`--test-end ${testEnd} is before --test-start ${testStart}`);
  const known = (await listLocations(store)).map((l) => l.location_id);
  for (const l of options.testLocations ?? []) if (!known.includes(l)) throw new ValidationError(`unknown test location "${l}"; known: ${known.join(', ')}`);
  const observed = await observedDays(store);
  const { days, covers } = observed;
  const held = new Set(options.testLocations ?? []);
  const [first, last] = [days[0], days.at(-1)];
  if (first === undefined || last === undefined) throw new ValidationError('the store has no observed PM2.5 to backtest on; import history first');
  if (testStart > last) throw new ValidationError(`--test-start ${testStart} is after the last observed day; ${covers}`);
  const validationDays = options.validationDays ?? validationDaysFor(days.filter((d) => d < testStart).length);
  const validationStart = addDays(testStart, -validationDays);
  const trainDays = days.filter((d) => d < validationStart).length;
  if (trainDays < MIN_TRAIN_DAYS)
    throw new ValidationError(
      `the window is too short to judge: training needs ${MIN_TRAIN_DAYS} observed days before ${validationStart} (the ${validationDays} validation days before --test-start) and has ${trainDays}; ${covers}, so choose a --test-start of ${addDays(first, firstWorkingHistory(options.validationDays))} or later`,
    );
  // The days tested: the held-out places' when given (each must have some), else any place's.
  const testDays = observedIn(observed, testStart, testEnd, held);
  if (testDays < MIN_TEST_DAYS)
    throw new ValidationError(
      `the test window has ${testDays} observed days${held.size > 0 ? ' at the test locations' : ''} and a backtest needs ${MIN_TEST_DAYS} to judge anything; ${covers}`,
    );
  return validationDays;
}

/** The rows a backtest learns from and is judged on: train and validation without the held-out places, test only them. */
export interface BacktestSplit {
  train: SplitRows;
  valid: SplitRows;
  /** The validation days as a served forecast reads them (realistic weather: with forecast errors); the interval's calibration. */
  calibration: SplitRows;
  test: SplitRows;
  version: number;
  validationDays: number;
}

/** Checks the options, brings the targets up to date and reads the split; with realistic weather the judged days read weather forecasts. */
export async function backtestSplit(store: FeatureStore, options: BacktestOptions): Promise<BacktestSplit> {
  const { testStart, testEnd } = options;
  const validationDays = await checkBacktest(store, options);
  const held = new Set(options.testLocations ?? []);
  await writeTargets(store);
  const fv = await forecastView(store);
  const split = await fv.trainValidationTestSplit(
    {
      trainEnd: addDays(testStart, -validationDays - 1),
      validationStart: addDays(testStart, -validationDays),
      validationEnd: addDays(testStart, -1),
      testStart,
      testEnd,
    },
    { extraFilter: col('pm25').notNull(), includeTrainingHelperColumns: true },
  );
  const inTraining = (l: string) => !held.has(l);
  const train = keep(split.train, inTraining);
  const valid = keep(split.validation, inTraining);
  // Forecasts issued from testStart on: the model is refit on every day before it, so one issued earlier would have learned
  // days after its own issue date.
  const observed = keep(split.test, (l, issued) => (held.size === 0 || held.has(l)) && issued >= testStart);
  if (observed.features.length === 0) throw new ValidationError(`no observed days to test from ${testStart}${testEnd ? ` to ${testEnd}` : ''}`);
  // The model learns from the recorded weather either way (the archive) and stops early on it; with realistic weather,
  // the days it is judged on read weather forecasts, as a served forecast does: the validation days that calibrate the
  // interval, and the test days.
  const seed = options.seed ?? 1;
  const forecastWeather = (rows: SplitRows, s: number): SplitRows =>
    options.weather === 'realistic' ? { ...rows, features: withRealisticWeather(rows.features, s) } : rows;
  return { train, valid, calibration: forecastWeather(valid, seed + 1), test: forecastWeather(observed, seed), version: split.version, validationDays };
}

export async function backtest(store: FeatureStore, options: BacktestOptions): Promise<BacktestResult> {
  const { train, valid, calibration, test, version, validationDays } = await backtestSplit(store, options);
  const weather = options.weather ?? 'perfect';
  const seed = options.seed ?? 1;
  const model = options.model ?? 'gbdt';
  const t0 = performance.now();
  let forecaster: Forecaster | undefined;
  let predictions: Prediction[];
  if (model === 'analog') {
    // "Training" the analog ensemble is embedding every day and indexing it.
    await writeDayPatterns(store);
    const patterns = await dayPatternsGroup(store);
    const rows = test.features.map((features, i) => ({ location_id: test.helpers[i]!.location_id as string, features }));
    predictions = await analogForecast(patterns, rows, { before: options.testStart, excludeLocations: options.testLocations ?? [] });
  } else {
    // As airq train serves it: chosen and calibrated on the validation days, then fitted on every day before the test.
    forecaster = Forecaster.train(train, valid, calibration).refit(concatRows(train, valid));
    predictions = forecaster.predict(test.features);
  }
  const train_seconds = Math.round((performance.now() - t0) / 10) / 100;
  return {
    horizons: metricsByHorizon(evalRows(test, predictions), climatologyOf(train)),
    train_seconds,
    train_rows: train.features.length,
    validation_days: validationDays,
    validation_rows: valid.features.length,
    test_rows: test.features.length,
    training_dataset_version: version,
    model,
    weather,
    ...(weather === 'realistic' ? { seed } : {}),
    forecaster,
  };
}
