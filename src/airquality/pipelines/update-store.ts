// `airq run`: brings a store up to date — for every place the days it has not seen and the new weather forecast,
// then retraining when a rule says so, the forecast, day patterns and the knowledge base — and records the run.
import { addDays } from '../../core/dates.js';
import { errorMessage, NotFoundError, ValidationError } from '../../core/errors.js';
import type { Embedder } from '../../embed/index.js';
import { col, type FeatureStore } from '../../store/index.js';
import { readyStore, type ReadyResult } from '../ready-store.js';
import { listLocations, type LocationInfo } from '../services/locations.js';
import { BEIJING_LAST } from '../sources/beijing.js';
import { readSource, storeToday, todayIn, type StoreSource } from '../store-clock.js';
import type { Location } from '../locations.js';
import { runBeijing } from './beijing-pipeline.js';
import { recordPipelineRun, type PlaceOutcome } from './pipeline-runs.js';
import { runPlace, type Providers } from './place-pipeline.js';
import { BACKFILL_DAYS } from '../places/places.js';
import { runSynthetic } from './synthetic-pipeline.js';

export interface UpdateOptions {
  /** --today: for a replay the day to advance it to; otherwise the real date (live) or the synthetic city's date. */
  today?: string;
  providers: Providers;
  embedder: () => Promise<Embedder>;
  chartsDir?: string;
  trigger?: 'cli' | 'schedule' | 'start' | 'add_place';
  log?: (message: string) => void;
}

export interface UpdateResult {
  run_id: string;
  today: string;
  /** True when there was nothing to do: nothing was written. */
  up_to_date: boolean;
  places: PlaceOutcome[];
  retrain: { reason: string; version: number; reused: boolean } | null;
  forecast: { model: string; version: number; predictions_written: number } | null;
  day_patterns: { inserted: number; updated: number };
  documents: { embedded: number; deleted: number };
  failed: string[];
  seconds: number;
}

/** The day a run brings the store to. */
export function runTarget(store: FeatureStore, source: StoreSource, override?: string): string {
  if (override !== undefined) return override;
  return source.source === 'synthetic' ? todayIn('UTC') : storeToday(store);
}

async function lastDates(store: FeatureStore, id: string): Promise<{ observed: string | undefined; issued: string | undefined }> {
  const max = (xs: unknown[]) => xs.filter((x): x is string => typeof x === 'string').reduce<string | undefined>((a, b) => (a === undefined || b > a ? b : a), undefined);
  const air = await store.getFeatureGroup('air_quality').select(['date']).filter(col('location_id').eq(id)).read();
  const issued = await store.getFeatureGroup('weather').select(['forecast_issued_on']).filter(col('location_id').eq(id)).read();
  return { observed: max(air.map((r) => r.date)), issued: max(issued.map((r) => r.forecast_issued_on)) };
}

const asLocation = (l: LocationInfo): Location => ({ ...l, aliases: l.aliases.join(',') });

/** Each live place from the day after its last observation (re-reading that day, which may have been partial) to today. */
async function updatePlaces(store: FeatureStore, source: StoreSource, today: string, p: Providers): Promise<PlaceOutcome[]> {
  const out: PlaceOutcome[] = [];
  for (const place of await listLocations(store)) {
    const last = await lastDates(store, place.location_id);
    const base = { id: place.location_id, source: place.source, days: 0, error: null };
    if (last.observed !== undefined && last.observed >= today && last.issued === today) {
      out.push({ ...base, status: 'up-to-date', from: null, to: null });
      continue;
    }
    const from = last.observed === undefined ? addDays(today, -(BACKFILL_DAYS - 1)) : last.observed < today ? last.observed : today;
    try {
      const r = await runPlace(store, asLocation(place), { start: from, end: today }, source, p);
      out.push({ ...base, status: 'updated', days: r.days, from, to: today });
    } catch (e) {
      out.push({ ...base, status: 'failed', from, to: today, error: errorMessage(e) });
    }
  }
  return out;
}

/** A replay moves forward to `today` in one atomic write; never back. */
async function advanceReplay(store: FeatureStore, source: StoreSource, today: string): Promise<PlaceOutcome[]> {
  if (source.source === 'live') throw new Error('unreachable');
  const held = storeToday(store);
  const ids = (await listLocations(store)).map((l) => l.location_id);
  const label = source.source === 'beijing' ? 'uci-beijing' : 'synthetic';
  if (today < held) throw new ValidationError(`the store stands at ${held}; \`airq run\` brings a store forward, not back (for an earlier day use \`airq forecast --today ${today}\`)`);
  if (today === held) return ids.map((id) => ({ id, source: label, status: 'up-to-date', days: 0, from: null, to: null, error: null }));
  const start = addDays(held, 1);
  let days: number;
  if (source.source === 'beijing') {
    if (today > BEIJING_LAST) throw new ValidationError(`nothing to replay after ${BEIJING_LAST}: the UCI Beijing archive ends there (pass --today ${BEIJING_LAST} or earlier)`);
    const forecastDays = Math.min(7, Math.round((Date.parse(BEIJING_LAST) - Date.parse(today)) / 86_400_000));
    days = (await runBeijing(store, source.path, { start, end: today, forecastDays })).days;
  } else days = (await runSynthetic(store, { start, end: today, forecastDays: 7, seed: source.seed })).days;
  const each = Math.round(days / Math.max(1, ids.length));
  return ids.map((id) => ({ id, source: label, status: 'updated', days: each, from: start, to: today, error: null }));
}

const commitMark = (store: FeatureStore) => store.listFeatureGroups().reduce((m, g) => Math.max(m, g.lastCommitId), 0);

/** The steps after the data; a failing step is recorded, and the run goes on where it can. */
async function afterData(store: FeatureStore, today: string, since: string | undefined, o: UpdateOptions, failed: string[]): Promise<ReadyResult | undefined> {
  try {
    return await readyStore(store, today, o.embedder, { retrain: 'when-due', chartsDir: o.chartsDir, patternsSince: since });
  } catch (e) {
    if (!(e instanceof ValidationError || e instanceof NotFoundError)) throw e;
    failed.push(`forecast: ${errorMessage(e)}`);
    return undefined;
  }
}

export async function updateStore(store: FeatureStore, o: UpdateOptions): Promise<UpdateResult> {
  const t0 = performance.now();
  const started = new Date();
  const source = readSource(store);
  if (!source) throw new NotFoundError('this store has no places yet: add one with `airq places add NAME`, or build the demo with `airq demo`');
  const today = runTarget(store, source, o.today);
  const before = commitMark(store);
  const places = source.source === 'live' ? await updatePlaces(store, source, today, o.providers) : await advanceReplay(store, source, today);
  const failed = places.filter((p) => p.status === 'failed').map((p) => `${p.id}: ${p.error}`);
  const since = places.map((p) => p.from).filter((d): d is string => d !== null).sort()[0];
  const ready = await afterData(store, today, since, o, failed);
  const up_to_date = failed.length === 0 && commitMark(store) === before;
  const result: UpdateResult = {
    run_id: `${started.toISOString()}-${process.pid}`,
    today,
    up_to_date,
    places,
    retrain: ready?.trained ? { reason: ready.retrainReason!, version: ready.trained.model.version, reused: ready.trained.reused } : null,
    forecast: ready ? { model: ready.forecast.model.name, version: ready.forecast.model.version, predictions_written: ready.forecast.predictions_written } : null,
    day_patterns: { inserted: ready?.patterns.inserted ?? 0, updated: ready?.patterns.updated ?? 0 },
    documents: { embedded: ready?.documents.embedded ?? 0, deleted: ready?.documents.deleted ?? 0 },
    failed,
    seconds: 0,
  };
  result.seconds = Math.round(performance.now() - t0) / 1000;
  if (!up_to_date) {
    await recordPipelineRun(store, {
      run_id: result.run_id,
      started_at: started.toISOString(),
      finished_at: new Date().toISOString(),
      today,
      status: failed.length > 0 ? 'failed' : 'ok',
      trigger: o.trigger ?? 'cli',
      places,
      retrain_reason: result.retrain?.reason ?? null,
      model_version: result.forecast?.version ?? null,
      predictions_written: result.forecast?.predictions_written ?? 0,
      errors: failed,
    });
  }
  return result;
}
