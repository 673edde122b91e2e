// `airq run`: brings a store up to date — for every place the days it has not seen and the new weather forecast,
// then retraining when a rule says so, the forecast, day patterns and the knowledge base — and records the run.
import { addDays } from '../../core/dates.js';
import { errorMessage, isAppError, NotFoundError, ValidationError } from '../../core/errors.js';
import type { Embedder } from '../../embed/index.js';
import type { FeatureStore } from '../../store/index.js';
import { readyStore, type ReadyResult } from '../ready-store.js';
import { hindcastCharts, hindcastRows } from '../forecast/hindcast.js';
import { listLocations, toLocation } from '../services/locations.js';
import { latestBy } from '../services/latest.js';
import { BEIJING_LAST } from '../sources/beijing.js';
import { placeToday, readSource, runDay, storeToday, type StoreSource } from '../store-clock.js';
import { runBeijing } from './beijing-pipeline.js';
import { recordPipelineRun, type PlaceOutcome } from './pipeline-runs.js';
import { runPlace, type Providers } from './place-pipeline.js';
import { sensorOf } from '../places/place-input.js';
import { BACKFILL_DAYS } from '../places/places.js';
import { runSynthetic } from './synthetic-pipeline.js';

export interface UpdateOptions {
  /** --today: for a replay the day to advance it to; otherwise the real date (live) or the synthetic city's date. */
  today?: string;
  providers: Providers;
  embedder: () => Promise<Embedder>;
  chartsDir?: string;
  trigger?: 'cli' | 'schedule' | 'start' | 'add_place';
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

/** Per place its last observation and the last day a weather forecast was issued for it: two reads for all places. */
async function lastDates(store: FeatureStore): Promise<{ observed: Map<string, string>; issued: Map<string, string> }> {
  const air = await store.getFeatureGroup('air_quality').select(['location_id', 'date']).read();
  const weather = await store.getFeatureGroup('weather').select(['location_id', 'forecast_issued_on']).read();
  return { observed: latestBy(air, 'location_id', 'date'), issued: latestBy(weather, 'location_id', 'forecast_issued_on') };
}

/** Sensor data arrives late (OpenAQ publishes days after): a sensor place re-reads this many days, so late measurements replace CAMS fills. */
const SENSOR_LOOKBACK_DAYS = 7;

/**
 * Each live place from its last observation (read again: it may have been partial, or a CAMS fill a
 * sensor has since measured) to today; a new place from a year back. Never back: a `today` before
 * the data is refused before anything is fetched.
 */
async function updatePlaces(
  store: FeatureStore,
  source: StoreSource,
  o: Pick<UpdateOptions, 'today' | 'providers'>,
  storeDay: string,
): Promise<PlaceOutcome[]> {
  const places = await listLocations(store);
  if (places.length === 0) throw new NotFoundError('this store has no places (all were removed): add one with `airq places add NAME`');
  // Each place runs to its own local day (--today: that day for all).
  const ends = places.map((pl) => o.today ?? placeToday(pl.timezone, storeDay));
  const known = await lastDates(store);
  const lasts = places.map((pl) => ({ observed: known.observed.get(pl.location_id), issued: known.issued.get(pl.location_id) }));
  const ahead = places.findIndex((_, i) => lasts[i]!.observed !== undefined && lasts[i]!.observed! > ends[i]!);
  if (ahead >= 0)
    throw new ValidationError(
      `${places[ahead]!.location_id} has observations up to ${lasts[ahead]!.observed}, after ${ends[ahead]}; \`airq run\` brings a store forward, not back`,
    );
  const out: PlaceOutcome[] = [];
  for (const [i, place] of places.entries()) {
    const [last, end] = [lasts[i]!, ends[i]!];
    const base = { id: place.location_id, source: place.source, days: 0, error: null, to: end };
    if (last.observed === end && last.issued === end) {
      out.push({ ...base, status: 'up-to-date', from: null });
      continue;
    }
    const lookback = sensorOf(place) ? addDays(end, -(SENSOR_LOOKBACK_DAYS - 1)) : end;
    const from = last.observed === undefined ? addDays(end, -(BACKFILL_DAYS - 1)) : [last.observed, lookback].sort()[0]!;
    try {
      const r = await runPlace(store, toLocation(place), { start: from, end }, source, o.providers);
      out.push({ ...base, status: 'updated', days: r.days, from });
    } catch (e) {
      out.push({ ...base, status: 'failed', from, error: errorMessage(e) });
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
  if (today < held)
    throw new ValidationError(
      `the store stands at ${held}; \`airq run\` brings a store forward, not back (for an earlier day use \`airq forecast --today ${today}\`)`,
    );
  if (today === held) return ids.map((id) => ({ id, source: label, status: 'up-to-date', days: 0, from: null, to: today, error: null }));
  const start = addDays(held, 1);
  let days: number;
  if (source.source === 'beijing') {
    if (today > BEIJING_LAST)
      throw new ValidationError(`nothing to replay after ${BEIJING_LAST}: the UCI Beijing archive ends there (pass --today ${BEIJING_LAST} or earlier)`);
    const forecastDays = Math.min(7, Math.round((Date.parse(BEIJING_LAST) - Date.parse(today)) / 86_400_000));
    days = (await runBeijing(store, source.path, { start, end: today, forecastDays })).days;
  } else days = (await runSynthetic(store, { start, end: today, forecastDays: 7, seed: source.seed })).days;
  const each = Math.round(days / Math.max(1, ids.length));
  return ids.map((id) => ({ id, source: label, status: 'updated', days: each, from: start, to: today, error: null }));
}

/** Places grouped by the day they run to: each group's forecast is issued on its own day. */
function issuesOf(places: readonly PlaceOutcome[], today: string): { date: string; locations: string[] }[] {
  const by = new Map<string, string[]>();
  for (const p of places) by.set(p.to ?? today, [...(by.get(p.to ?? today) ?? []), p.id]);
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, locations]) => ({ date, locations }));
}

/** Day patterns are rewritten from the earliest day a place lacks them (all days of a place that has none). */
async function patternsSince(store: FeatureStore, places: readonly PlaceOutcome[]): Promise<string | undefined> {
  const group = store.listFeatureGroups().find((g) => g.name === 'day_patterns');
  if (!group) return undefined;
  const last = latestBy(await group.select(['location_id', 'date']).read(), 'location_id', 'date');
  const days = places.map((p) => last.get(p.id));
  if (days.some((d) => d === undefined)) return undefined;
  return (days as string[]).sort()[0];
}

const commitMark = (store: FeatureStore) => store.listFeatureGroups().reduce((m, g) => Math.max(m, g.lastCommitId), 0);

/**
 * The steps after the data. A step that fails with a known error is recorded and the run goes on to
 * record itself; an unexpected error is recorded too, then thrown (after the run row is written).
 */
async function afterData(
  store: FeatureStore,
  today: string,
  plan: { since: string | undefined; issues: { date: string; locations: string[] }[] },
  o: UpdateOptions,
  failed: string[],
): Promise<{ ready?: ReadyResult; unexpected?: unknown }> {
  try {
    const ready = await readyStore(store, today, o.embedder, { retrain: 'when-due', chartsDir: o.chartsDir, patternsSince: plan.since, issues: plan.issues });
    // The hindcast: earlier forecasts against what was observed since, as charts beside the forecasts.
    if (o.chartsDir) hindcastCharts(await hindcastRows(store), o.chartsDir);
    return { ready };
  } catch (e) {
    failed.push(`forecast: ${errorMessage(e)}`);
    return isAppError(e) ? {} : { unexpected: e };
  }
}

export async function updateStore(store: FeatureStore, o: UpdateOptions): Promise<UpdateResult> {
  const t0 = performance.now();
  const started = new Date();
  const source = readSource(store);
  if (!source) throw new NotFoundError('this store has no places yet: add one with `airq places add NAME`, or build the demo with `airq demo`');
  const today = runDay(store, source, o.today);
  const before = commitMark(store);
  const fetched = source.source === 'live' ? await updatePlaces(store, source, o, today) : await advanceReplay(store, source, today);
  const failed = fetched.filter((p) => p.status === 'failed').map((p) => `${p.id}: ${p.error}`);
  const { ready, unexpected } = await afterData(store, today, { since: await patternsSince(store, fetched), issues: issuesOf(fetched, today) }, o, failed);
  const up_to_date = failed.length === 0 && commitMark(store) === before;
  // Read again and found unchanged: nothing was written for it.
  const places = up_to_date ? fetched.map((p) => ({ ...p, status: 'up-to-date' as const, days: 0 })) : fetched;
  const result: UpdateResult = {
    run_id: `${started.toISOString()}-${process.pid}`,
    today,
    up_to_date,
    places,
    retrain: ready?.trained ? { reason: ready.retrainReason!, version: ready.trained.model.version, reused: ready.trained.reused } : null,
    forecast: ready
      ? { model: ready.forecast.model.name, version: ready.forecast.model.version, predictions_written: ready.forecast.predictions_written }
      : null,
    day_patterns: { inserted: ready?.patterns.inserted ?? 0, updated: ready?.patterns.updated ?? 0 },
    documents: { embedded: ready?.documents.embedded ?? 0, deleted: ready?.documents.deleted ?? 0 },
    failed,
    seconds: Math.round(performance.now() - t0) / 1000,
  };
  if (!up_to_date) await record(store, result, started, o.trigger ?? 'cli');
  if (unexpected !== undefined) throw unexpected;
  return result;
}

function record(store: FeatureStore, r: UpdateResult, started: Date, trigger: string): Promise<void> {
  return recordPipelineRun(store, {
    run_id: r.run_id,
    started_at: started.toISOString(),
    finished_at: new Date().toISOString(),
    today: r.today,
    status: r.failed.length > 0 ? 'failed' : 'ok',
    trigger,
    places: r.places,
    retrain_reason: r.retrain?.reason ?? null,
    model_version: r.forecast?.version ?? null,
    predictions_written: r.forecast?.predictions_written ?? 0,
    errors: r.failed,
  });
}
