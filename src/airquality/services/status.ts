// How fresh a store is: per place its last observation and forecast, the served model and whether a retrain is due, the last and next run.
import { isoDateToEpochDays } from '../../core/dates.js';
import type { FeatureStore } from '../../store/index.js';
import { retrainReason } from '../forecast/retrain.js';
import { servedModel } from '../forecast/train.js';
import { recentRuns, type RunRecordRow } from '../pipelines/pipeline-runs.js';
import { readSchedule } from '../pipelines/schedule.js';
import { airSourceOf } from '../places/air-sources.js';
import { liveZones, placeToday, readSource, runDay } from '../store-clock.js';
import { monitoringSummary } from '../monitoring/monitor.js';
import { AnswerCache } from './answer-cache.js';
import { latestBy } from './latest.js';
import { listLocations } from './locations.js';

export interface PlaceStatus {
  id: string;
  name: string;
  /** The place's source (open-meteo, aqicn:FEED, openaq:ID, uci-beijing, synthetic). */
  source: string;
  /** What its air-quality values are, in words (measurements or model values). */
  data: string;
  last_observation: string | null;
  forecast_issued: string | null;
  forecast_until: string | null;
  /** What is out of date, in words; empty when nothing is. */
  stale: string[];
}

export interface DataStatus {
  today: string;
  source: 'live' | 'beijing' | 'synthetic' | null;
  places: PlaceStatus[];
  model: {
    name: string;
    version: number;
    trained_at: string;
    trained_through: string | null;
    validation_rmse: number | null;
    retrain_due: string | null;
  } | null;
  last_run: RunRecordRow | null;
  /** When a running `airq serve` will next run the pipelines (null when no schedule is running). */
  next_run: string | null;
  /** True when any place is stale: `airq run` would bring something new. */
  stale: boolean;
  /** The monitoring alerts of the last 30 days (`airq monitor`): inputs that drifted, forecasts off their backtest. */
  alerts: string[];
  /** What monitoring could not judge yet, and why (no alert there is no news). */
  not_judged: string[];
}

const daysBetween = (a: string, b: string) => isoDateToEpochDays(b) - isoDateToEpochDays(a);
const plural = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/** Staleness rules, each a sentence: observations more than a day behind today, a forecast not issued today. */
export function staleness(today: string, lastObservation: string | null, forecastIssued: string | null): string[] {
  const out: string[] = [];
  if (lastObservation === null) out.push('no observations yet');
  else if (daysBetween(lastObservation, today) > 1)
    out.push(`the last observation is from ${lastObservation}, ${plural(daysBetween(lastObservation, today))} before today`);
  if (forecastIssued === null) out.push('no forecast yet');
  else if (forecastIssued < today) out.push(`the forecast was issued ${forecastIssued}, ${plural(daysBetween(forecastIssued, today))} ago`);
  return out;
}

const has = (store: FeatureStore, name: string) => store.listFeatureGroups().some((g) => g.name === name && g.meta.schema !== null);

async function placeStatuses(store: FeatureStore, today: string): Promise<PlaceStatus[]> {
  const places = has(store, 'locations') ? await listLocations(store) : [];
  const air = has(store, 'air_quality') ? await store.getFeatureGroup('air_quality').select(['location_id', 'date']).read() : [];
  const lastObs = latestBy(air, 'location_id', 'date');
  const preds = has(store, 'aq_predictions') ? await store.getFeatureGroup('aq_predictions').select(['location_id', 'issue_date', 'date']).read() : [];
  const issued = latestBy(preds, 'location_id', 'issue_date');
  const until = latestBy(
    preds.filter((p) => issued.get(p.location_id as string) === p.issue_date),
    'location_id',
    'date',
  );
  return places.map((l) => {
    const last = lastObs.get(l.location_id) ?? null;
    const fi = issued.get(l.location_id) ?? null;
    return {
      id: l.location_id,
      name: l.name,
      source: l.source,
      data: airSourceOf(null, l.source).label,
      last_observation: last,
      forecast_issued: fi,
      forecast_until: until.get(l.location_id) ?? null,
      stale: staleness(placeToday(l.timezone, today), last, fi),
    };
  });
}

const cache = new AnswerCache<DataStatus>(['locations', 'air_quality', 'weather', 'aq_predictions', 'pipeline_runs']);

/** The store's status as of `today` (the schedule file is read each time: it is not in the store). */
export async function dataStatus(store: FeatureStore, today: string): Promise<DataStatus> {
  const base = await cache.get(store, today, async () => {
    const places = await placeStatuses(store, today);
    const model = await servedModel(store, { issuedOn: today }).catch(() => undefined);
    const due = model || store.registry.list('pm25_forecaster').length > 0 ? await retrainReason(store, today).catch(() => undefined) : undefined;
    return {
      today,
      source: readSource(store)?.source ?? null,
      places,
      model: model
        ? {
            name: model.name,
            version: model.version,
            trained_at: model.meta.createdAt,
            trained_through: model.meta.tags.trained_through ?? null,
            validation_rmse: model.meta.metrics.validation_rmse ?? null,
            retrain_due: due?.reason ?? null,
          }
        : null,
      last_run: (await recentRuns(store, 1))[0] ?? null,
      next_run: null,
      stale: places.some((p) => p.stale.length > 0),
      ...(await monitoringSummary(store, today)),
    };
  });
  return { ...base, next_run: readSchedule(store.dir)?.next_run ?? null };
}

/** The time zones the store's days follow: its places' for live data, UTC otherwise. */
export function placeZones(store: FeatureStore): string[] {
  const source = readSource(store);
  return source?.source === 'live' ? liveZones(source) : ['UTC'];
}

/** True when `airq run` would bring something new: a stale place, or a synthetic city behind the real date. */
export async function needsRun(store: FeatureStore, today: string, override?: string): Promise<boolean> {
  const source = readSource(store);
  if (!source) return false;
  if (runDay(store, source, override) > today) return true; // a synthetic city behind the real date
  return (await dataStatus(store, today)).stale;
}
