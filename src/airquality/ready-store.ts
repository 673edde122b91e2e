// What makes a store ready after its data arrives: the forecaster trained (always, or when a retrain rule says so),
// 7-day forecasts, the serving view, day patterns and the knowledge base. `airq demo` and `airq run` both end here.
import type { Embedder } from '../embed/index.js';
import type { FeatureStore } from '../store/index.js';
import { forecastAll, type ForecastResult } from './forecast/forecast.js';
import { retrainReason } from './forecast/retrain.js';
import { trainForecaster, type TrainResult } from './forecast/train.js';
import { embedDocuments } from './knowledge/documents.js';
import { writeDayPatterns } from './patterns/day-patterns.js';
import { pm25StateView } from './serving-views.js';

export interface ReadyResult {
  /** Undefined when no retrain was due. */
  trained: TrainResult | undefined;
  /** Why it retrained (the first retrain rule that held), when it did. */
  retrainReason: string | undefined;
  forecast: ForecastResult;
  patterns: Awaited<ReturnType<typeof writeDayPatterns>>;
  documents: Awaited<ReturnType<typeof embedDocuments>>;
}

export interface ReadyOptions {
  /** 'always' (a demo) or 'when-due' (a run: see forecast/retrain.ts). */
  retrain: 'always' | 'when-due';
  chartsDir?: string;
  /** Day patterns are (re)written from this day on; default all. */
  patternsSince?: string;
  /**
   * Forecasts per group of places issued on their own day (live places in zones a day apart); default:
   * every place on `today`. The model is trained through the earliest of those days, so it may serve all.
   */
  issues?: { date: string; locations: string[] }[];
}

/** Every step after the data, on data up to `today`. */
export async function readyStore(store: FeatureStore, today: string, embedder: () => Promise<Embedder>, options: ReadyOptions): Promise<ReadyResult> {
  const issues = options.issues ?? [{ date: today, locations: undefined }];
  const trainDay = issues.map((i) => i.date).reduce((a, b) => (a < b ? a : b), today);
  const due = options.retrain === 'always' ? { reason: 'asked to train' } : await retrainReason(store, trainDay);
  const trained = due ? await trainForecaster(store, trainDay) : undefined;
  const forecasts: ForecastResult[] = [];
  for (const i of issues) forecasts.push(await forecastAll(store, i.date, { locations: i.locations, chartsDir: options.chartsDir }));
  const forecast: ForecastResult = {
    ...forecasts[0]!,
    locations: forecasts.flatMap((f) => f.locations),
    predictions_written: forecasts.reduce((n, f) => n + f.predictions_written, 0),
  };
  await pm25StateView(store);
  const patterns = await writeDayPatterns(store, { since: options.patternsSince });
  const documents = await embedDocuments(store, await embedder());
  return { trained, retrainReason: options.retrain === 'when-due' ? due?.reason : undefined, forecast, patterns, documents };
}

/** `airq demo` after its pipeline run: trains, then every other step (charts in `chartsDir` when given). */
export async function makeReady(store: FeatureStore, today: string, embedder: Embedder, chartsDir?: string) {
  const r = await readyStore(store, today, async () => embedder, { retrain: 'always', chartsDir });
  return { ...r, trained: r.trained! };
}
