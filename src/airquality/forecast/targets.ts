// Forecast targets: for every observed day, the 1-7 forecasts that should have predicted it; for today, those still open.
import { addDays, isoDateToEpochDays } from '../../core/dates.js';
import type { FeatureGroup, FeatureStore, Row } from '../../store/index.js';
import { getOrUpgradeGroup } from '../feature-groups.js';
import { FORECAST_TARGETS, MAX_DAYS_AHEAD } from './groups.js';

export interface Observation {
  location_id: string;
  date: string;
  pm25: number | null;
}

function dayOfYear(date: string): number {
  return isoDateToEpochDays(date) - isoDateToEpochDays(`${date.slice(0, 4)}-01-01`) + 1;
}

export function targetRow(location_id: string, issue_date: string, daysAhead: number, pm25: number | null): Row {
  const date = addDays(issue_date, daysAhead);
  return {
    location_id,
    issue_date,
    date,
    days_ahead: daysAhead,
    day_before: addDays(date, -1),
    two_days_before: addDays(date, -2),
    day_of_year: dayOfYear(date),
    pm25,
  };
}

/**
 * One row per (observed day, horizon h): the forecast issued h days before that day. A forecast is
 * only a target when its issue date is within the location's data (there was a state to start from).
 */
export function targetRows(observations: readonly Observation[]): Row[] {
  const first = new Map<string, string>();
  for (const o of observations) if (!first.has(o.location_id) || o.date < first.get(o.location_id)!) first.set(o.location_id, o.date);
  const rows: Row[] = [];
  for (const o of observations) {
    if (o.pm25 === null) continue;
    for (let h = 1; h <= MAX_DAYS_AHEAD; h++) {
      const issue = addDays(o.date, -h);
      if (issue >= first.get(o.location_id)!) rows.push(targetRow(o.location_id, issue, h, o.pm25));
    }
  }
  return rows;
}

/** The label spine (a store made before two_days_before gets that column first; its rows are then rewritten with it). */
export function forecastTargets(store: FeatureStore): Promise<FeatureGroup> {
  return getOrUpgradeGroup(store, FORECAST_TARGETS);
}

/** Brings forecast_targets up to date with air_quality (idempotent: unchanged rows are not rewritten). */
export async function writeTargets(store: FeatureStore): Promise<{ rows: number; inserted: number; updated: number }> {
  const aq = store.getFeatureGroup('air_quality');
  const obs = (await aq.select(['location_id', 'date', 'pm25']).read()) as unknown as Observation[];
  const rows = targetRows(obs);
  const targets = await forecastTargets(store);
  const commit = await targets.insert(rows);
  return { rows: rows.length, inserted: commit?.rowsInserted ?? 0, updated: commit?.rowsUpdated ?? 0 };
}
