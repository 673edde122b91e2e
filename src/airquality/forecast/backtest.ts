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

export interface BacktestOptions {
  testStart: string;
  testEnd?: string;
  /** Locations left out of training entirely and the only ones tested: how well does it do somewhere new? */
  testLocations?: string[];
  /** Days before testStart used for early stopping and interval calibration. */
  validationDays?: number;
  /** gbdt (default) or analog: the analog ensemble over day patterns (weather of the day and the day before). */
  model?: 'gbdt' | 'analog';
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
  validation_rows: number;
  test_rows: number;
  training_dataset_version: number;
  model: 'gbdt' | 'analog';
  /** The trained GBDT forecaster (absent for the analog ensemble, which has nothing to train). */
  forecaster?: Forecaster;
}

function keep(split: { features: Row[]; labels: Row[]; helpers?: Row[] }, test: (location: string) => boolean): SplitRows {
  const out: SplitRows = { features: [], labels: [], helpers: [] };
  split.features.forEach((f, i) => {
    const h = split.helpers![i]!;
    if (!test(h.location_id as string)) return;
    out.features.push(f);
    out.labels.push(split.labels[i]!);
    out.helpers.push(h);
  });
  return out;
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

export async function backtest(store: FeatureStore, options: BacktestOptions): Promise<BacktestResult> {
  const { testStart, testEnd, validationDays = 120 } = options;
  if (testEnd !== undefined && testEnd < testStart) throw new ValidationError(`--test-end ${testEnd} is before --test-start ${testStart}`);
  const held = new Set(options.testLocations ?? []);
  const known = new Set((await store.getFeatureGroup('locations').select(['location_id']).read()).map((r) => r.location_id as string));
  for (const l of held) if (!known.has(l)) throw new ValidationError(`unknown test location "${l}"; known: ${[...known].sort().join(', ')}`);
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
  const test = keep(split.test, (l) => held.size === 0 || held.has(l));
  if (test.features.length === 0) throw new ValidationError(`no observed days to test from ${testStart}${testEnd ? ` to ${testEnd}` : ''}`);
  const model = options.model ?? 'gbdt';
  const t0 = performance.now();
  let forecaster: Forecaster | undefined;
  let predictions: Prediction[];
  if (model === 'analog') {
    // "Training" the analog ensemble is embedding every day and indexing it.
    await writeDayPatterns(store);
    const patterns = await dayPatternsGroup(store);
    const rows = test.features.map((features, i) => ({ location_id: test.helpers[i]!.location_id as string, features }));
    predictions = await analogForecast(patterns, rows, { before: testStart, excludeLocations: [...held] });
  } else {
    forecaster = Forecaster.train(train, valid);
    predictions = forecaster.predict(test.features);
  }
  const train_seconds = Math.round((performance.now() - t0) / 10) / 100;
  return {
    horizons: metricsByHorizon(evalRows(test, predictions), climatologyOf(train)),
    train_seconds,
    train_rows: train.features.length,
    validation_rows: valid.features.length,
    test_rows: test.features.length,
    training_dataset_version: split.version,
    model,
    forecaster,
  };
}
