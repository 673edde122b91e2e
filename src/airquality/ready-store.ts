// What makes a store ready after its data arrives: the forecaster trained, 7-day forecasts, the serving view, day patterns and the knowledge base.
import type { Embedder } from '../embed/index.js';
import type { FeatureStore } from '../store/index.js';
import { forecastAll, type ForecastResult } from './forecast/forecast.js';
import { trainForecaster, type TrainResult } from './forecast/train.js';
import { embedDocuments } from './knowledge/documents.js';
import { writeDayPatterns } from './patterns/day-patterns.js';
import { pm25StateView } from './serving-views.js';

export interface ReadyResult {
  trained: TrainResult;
  forecast: ForecastResult;
  patterns: Awaited<ReturnType<typeof writeDayPatterns>>;
  documents: Awaited<ReturnType<typeof embedDocuments>>;
}

/** `airq demo` after its pipeline run: every step on data up to `today` (charts in `chartsDir` when given). */
export async function makeReady(store: FeatureStore, today: string, embedder: Embedder, chartsDir?: string): Promise<ReadyResult> {
  const trained = await trainForecaster(store, today);
  const forecast = await forecastAll(store, today, { chartsDir });
  await pm25StateView(store);
  const patterns = await writeDayPatterns(store);
  const documents = await embedDocuments(store, embedder);
  return { trained, forecast, patterns, documents };
}
