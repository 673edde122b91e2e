// Backfill from the UCI Beijing files: every station in a folder -> locations, air_quality, weather, lags.
import { basename } from 'node:path';
import { ValidationError } from '../../core/errors.js';
import type { CommitDetails, FeatureStore, InputRow } from '../../store/index.js';
import { airQualityGroups } from '../feature-groups.js';
import { beijingLocation } from '../locations.js';
import { beijingFiles, readBeijingStation } from '../sources/beijing.js';
import { airQualityRow, byDate, lagRows, weatherRow } from './daily-rows.js';

export interface BackfillOptions {
  /** Inclusive local dates; default: everything in the files. */
  start?: string;
  end?: string;
  progress?: (message: string) => void;
}

export interface BackfillResult {
  stations: string[];
  hourlyRows: number;
  days: number;
  /** Per group: the commit, or null when nothing changed (a re-run). */
  commits: Record<string, { commitId: number; inserted: number; updated: number } | null>;
}

const summary = (c: CommitDetails | null) => (c ? { commitId: c.commitId, inserted: c.rowsInserted, updated: c.rowsUpdated } : null);

/**
 * Reads and checks every file first, then writes each group once. Re-running writes nothing new.
 * Each group's insert is its own commit: a failure between groups leaves earlier groups written,
 * and re-running the backfill completes the run (identical rows are not rewritten).
 */
export async function backfillBeijing(store: FeatureStore, dir: string, options: BackfillOptions = {}): Promise<BackfillResult> {
  const log = options.progress ?? (() => undefined);
  const files = beijingFiles(dir);
  const locations: InputRow[] = [];
  const air: InputRow[] = [];
  const weather: InputRow[] = [];
  const lags: InputRow[] = [];
  let hourlyRows = 0;
  for (const [i, file] of files.entries()) {
    const hours = readBeijingStation(file).filter(
      (h) => (options.start === undefined || h.date >= options.start) && (options.end === undefined || h.date <= options.end),
    );
    const station = hours[0]?.station ?? basename(file).split('_')[2] ?? '';
    const location = beijingLocation(station);
    if (!location) throw new ValidationError(`${basename(file)}: "${station}" is not one of the 12 UCI Beijing stations`);
    hourlyRows += hours.length;
    locations.push({ ...location });
    const series: { date: string; value: number | null }[] = [];
    for (const [date, dayHours] of byDate(hours)) {
      const aq = airQualityRow(location.location_id, date, dayHours);
      air.push(aq);
      weather.push(weatherRow(location.location_id, date, dayHours));
      series.push({ date, value: aq.pm25 as number | null });
    }
    lags.push(...lagRows(location.location_id, series));
    log(`read ${location.name} (${i + 1} of ${files.length}): ${hours.length} hourly rows, ${series.length} days`);
  }
  const groups = await airQualityGroups(store);
  const commits: BackfillResult['commits'] = {};
  commits.locations = summary(await groups.locations.insert(locations));
  commits.air_quality = summary(await groups.airQuality.insert(air));
  commits.weather = summary(await groups.weather.insert(weather));
  commits.air_quality_lags = summary(await groups.lags.insert(lags));
  log(`wrote ${air.length} station-days of ${locations.length} stations`);
  return { stations: locations.map((l) => String(l.location_id)), hourlyRows, days: air.length, commits };
}
