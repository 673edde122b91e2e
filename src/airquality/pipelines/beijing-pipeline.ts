// The UCI Beijing feature pipeline: one program for backfill and daily runs, parameterised by a date range.
//
// Observations of [start, end] go to air_quality, weather (is_forecast = false) and the lag group;
// with forecastDays, the recorded weather of end+1 .. end+forecastDays is written as a forecast
// issued on `end`. That is replay mode: a PERFECT forecast (the weather that really happened), which
// a later daily run replaces with the observation, while ingestion-time travel still shows it.
import { basename } from 'node:path';
import { addDays } from '../../core/dates.js';
import { ValidationError } from '../../core/errors.js';
import type { ProgressFn } from '../../core/progress.js';
import type { FeatureStore } from '../../store/index.js';
import { airQualityGroups } from '../feature-groups.js';
import { beijingLocation, type Location } from '../locations.js';
import { BEIJING_FIRST, BEIJING_LAST, beijingFiles, readBeijingStation, type BeijingHour } from '../sources/beijing.js';
import { airQualityRow, byDate, lagRows, weatherRow } from './daily-rows.js';
import { pm25History, writeRun, type RunCommits, type RunRows } from './run-writer.js';
import { assertSourceFits } from '../store-clock.js';

export interface RunOptions {
  /** Inclusive local dates of the observations; default: everything in the files. */
  start?: string;
  end?: string;
  /** Days after `end` whose recorded weather is written as a forecast issued on `end` (replay). */
  forecastDays?: number;
  progress?: ProgressFn;
}

export interface RunResult {
  stations: string[];
  hourlyRows: number;
  /** Station-days of observations written. */
  days: number;
  forecastDays: number;
  /** Per group: the commit, or null when nothing changed (a re-run). */
  commits: RunCommits;
}

function stationOf(file: string, hours: BeijingHour[]): Location {
  const station = hours[0]?.station ?? basename(file).split('_')[2] ?? '';
  const location = beijingLocation(station);
  if (!location) throw new ValidationError(`${basename(file)}: "${station}" is not one of the 12 UCI Beijing stations`);
  return location;
}

/**
 * Reads and checks every file first, then writes the four groups in one store transaction: a run
 * that fails half way writes nothing, and re-running a run writes nothing new.
 */
export async function runBeijing(store: FeatureStore, dir: string, options: RunOptions = {}): Promise<RunResult> {
  const progress = options.progress ?? (() => undefined);
  const forecastDays = options.forecastDays ?? 0;
  if (forecastDays > 0 && options.end === undefined) throw new ValidationError('a run with forecasts needs an end date (the issue date)');
  const source = { source: 'beijing' as const, path: dir };
  assertSourceFits(store, source);
  const files = beijingFiles(dir);
  const groups = await airQualityGroups(store);
  const rows: RunRows = { locations: [], air: [], weather: [], lags: [] };
  let hourlyRows = 0;
  let days = 0;
  let lastDay: string | undefined;
  for (const [i, file] of files.entries()) {
    const to = options.end === undefined ? undefined : addDays(options.end, forecastDays);
    const hours = readBeijingStation(file, { from: options.start, to });
    const location = stationOf(file, hours);
    rows.locations.push({ ...location });
    const series = await pm25History(groups, location.location_id, options.start);
    for (const [date, dayHours] of byDate(hours)) {
      if (options.end !== undefined && date > options.end) {
        rows.weather.push({ ...weatherRow(location.location_id, date, dayHours), is_forecast: true, forecast_issued_on: options.end });
        continue;
      }
      hourlyRows += dayHours.length;
      days++;
      if (lastDay === undefined || date > lastDay) lastDay = date;
      const aq = airQualityRow(location.location_id, date, dayHours);
      rows.air.push(aq);
      rows.weather.push(weatherRow(location.location_id, date, dayHours));
      series.push({ date, value: aq.pm25 as number | null });
    }
    rows.lags.push(...lagRows(location.location_id, series).filter((r) => options.start === undefined || (r.date as string) >= options.start));
    progress({ done: i + 1, total: files.length + 1, message: `read ${location.name}` });
  }
  progress({ done: files.length, total: files.length + 1, message: 'writing' });
  // The store stands at the last day the run observed (a day the files do not have does not move it).
  const commits = await writeRun(store, groups, rows, { source, broughtTo: lastDay });
  progress({ done: files.length + 1, total: files.length + 1, message: `wrote ${days} station-days` });
  return { stations: rows.locations.map((l) => String(l.location_id)), hourlyRows, days, forecastDays, commits };
}

/** Backfill: observations of a range (default: all), no forecasts. */
export function backfillBeijing(store: FeatureStore, dir: string, options: Omit<RunOptions, 'forecastDays'> = {}): Promise<RunResult> {
  return runBeijing(store, dir, options);
}

/** A daily run in replay mode: day `date` as if it had just arrived, plus the 7-day (perfect) forecast. */
export function dailyBeijing(store: FeatureStore, dir: string, date: string, progress?: ProgressFn): Promise<RunResult> {
  if (date > BEIJING_LAST || date < BEIJING_FIRST) {
    return Promise.reject(
      new ValidationError(
        `nothing to replay for ${date}: the UCI Beijing data covers ${BEIJING_FIRST} to ${BEIJING_LAST} (it is a fixed archive, not a live feed)`,
      ),
    );
  }
  return runBeijing(store, dir, { start: date, end: date, forecastDays: 7, progress });
}
