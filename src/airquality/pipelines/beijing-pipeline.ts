// The UCI Beijing feature pipeline: one program for backfill and daily runs, parameterised by a date range.
//
// Observations of [start, end] go to air_quality, weather (is_forecast = false) and the lag group;
// with forecastDays, the recorded weather of end+1 .. end+forecastDays is written as a forecast
// issued on `end`. That is replay mode: a PERFECT forecast (the weather that really happened), which
// a later daily run replaces with the observation, while ingestion-time travel still shows it.
// Every file is checked row by row before anything is written (see sources/beijing.ts), and a stored
// measured value is never replaced by a null unless the caller allows it (see import-plan.ts).
import { basename } from 'node:path';
import { addDays } from '../../core/dates.js';
import { ValidationError } from '../../core/errors.js';
import type { ProgressFn } from '../../core/progress.js';
import { col, type FeatureGroup, type FeatureStore, type InputRow } from '../../store/index.js';
import { airQualityGroups } from '../feature-groups.js';
import { beijingLocation, type Location } from '../locations.js';
import { BEIJING_FIRST, BEIJING_LAST, beijingFiles, readBeijingStation, stationInName, type BeijingHour } from '../sources/beijing.js';
import { BadRows, type BadReason } from '../sources/import-checks.js';
import { airQualityRow, byDate, lagRows, weatherRow } from './daily-rows.js';
import { AIR_QUALITY_RULE, existingGroup, mergeWithStored, WEATHER_RULE, type GroupChanges } from './import-plan.js';
import { writeRun, type RunCommits, type RunRows } from './run-writer.js';
import { assertSourceFits } from '../store-clock.js';

export interface RunOptions {
  /** Inclusive local dates of the observations; default: everything in the files. */
  start?: string;
  end?: string;
  /** Days after `end` whose recorded weather is written as a forecast issued on `end` (replay). */
  forecastDays?: number;
  progress?: ProgressFn;
  /** Leave bad rows out (counted by reason) instead of refusing the files. */
  skipBadRows?: boolean;
  /** Let a file's nulls replace measured values in the store (default: the stored values are kept). */
  allowNullsOverValues?: boolean;
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

/** What a run reads and what it would change, before (or without) writing. */
export interface RunPlan extends Omit<RunResult, 'commits'> {
  /** Rows left out under skipBadRows, by reason. */
  bad_rows: { total: number; by_reason: Partial<Record<BadReason, number>> };
  /** Per group: new, updated, unchanged rows and the stored values nulled or kept. */
  changes: Record<string, GroupChanges>;
}

export type BeijingRun = RunPlan & Pick<RunResult, 'commits'>;

interface Station {
  location: Location;
  hours: BeijingHour[];
}

/** Reads and checks every file; refuses them all on any bad row unless `skipBadRows`. */
function readStations(dir: string, options: RunOptions, bad: BadRows): Station[] {
  const files = beijingFiles(dir);
  const progress = options.progress ?? (() => undefined);
  const to = options.end === undefined ? undefined : addDays(options.end, options.forecastDays ?? 0);
  const out: Station[] = [];
  for (const [i, file] of files.entries()) {
    const station = stationInName(file) ?? '';
    const location = beijingLocation(station);
    if (!location) throw new ValidationError(`${basename(file)}: "${station}" is not one of the 12 UCI Beijing stations`);
    out.push({ location, hours: readBeijingStation(file, { from: options.start, to }, bad) });
    progress({ done: i + 1, total: files.length + 1, message: `read ${location.name}` });
  }
  if (!options.skipBadRows) bad.refuse();
  return out;
}

/** PM2.5 of the 7 days before `start`, from the store, so lags at the start of a range are right. */
async function pm25Before(group: FeatureGroup | undefined, locationId: string, start: string | undefined) {
  if (start === undefined || !group) return [];
  const rows = await group
    .select(['date', 'pm25'])
    .filter(col('location_id').eq(locationId))
    .filter(col('date').between(addDays(start, -7), addDays(start, -1)))
    .read();
  return rows.map((r) => ({ date: r.date as string, value: r.pm25 as number | null }));
}

/** The rows of the daily groups, before they meet the store. */
function dailyRows(stations: readonly Station[], options: RunOptions): RunRows & { hourlyRows: number; lastDay?: string } {
  const rows = {
    locations: [] as InputRow[],
    air: [] as InputRow[],
    weather: [] as InputRow[],
    lags: [] as InputRow[],
    hourlyRows: 0,
    lastDay: undefined as string | undefined,
  };
  for (const { location, hours } of stations) {
    rows.locations.push({ ...location });
    for (const [date, dayHours] of byDate(hours)) {
      if (options.end !== undefined && date > options.end) {
        rows.weather.push({ ...weatherRow(location.location_id, date, dayHours), is_forecast: true, forecast_issued_on: options.end });
        continue;
      }
      rows.hourlyRows += dayHours.length;
      if (rows.lastDay === undefined || date > rows.lastDay) rows.lastDay = date;
      rows.air.push(airQualityRow(location.location_id, date, dayHours));
      rows.weather.push(weatherRow(location.location_id, date, dayHours));
    }
  }
  return rows;
}

/** The rows merged with the stored ones (a kept value feeds the lags too), and what they change. */
async function planRows(store: FeatureStore | undefined, rows: RunRows, options: RunOptions) {
  const allowNulls = options.allowNullsOverValues ?? false;
  const air = existingGroup(store, 'air_quality');
  const key = ['location_id', 'date'];
  const locations = await mergeWithStored(existingGroup(store, 'locations'), rows.locations, ['location_id'], { allowNulls });
  const aq = await mergeWithStored(air, rows.air, key, { allowNulls, rule: AIR_QUALITY_RULE });
  const weather = await mergeWithStored(existingGroup(store, 'weather'), rows.weather, key, { allowNulls, rule: WEATHER_RULE });
  const lagInput: InputRow[] = [];
  for (const l of rows.locations) {
    const id = l.location_id as string;
    const series = await pm25Before(air, id, options.start);
    for (const r of aq.rows) if (r.location_id === id) series.push({ date: r.date as string, value: r.pm25 as number | null });
    lagInput.push(...lagRows(id, series).filter((r) => options.start === undefined || (r.date as string) >= options.start));
  }
  const lags = await mergeWithStored(existingGroup(store, 'air_quality_lags'), lagInput, key, { allowNulls });
  return {
    rows: { locations: locations.rows, air: aq.rows, weather: weather.rows, lags: lags.rows },
    changes: { locations: locations.changes, air_quality: aq.changes, weather: weather.changes, air_quality_lags: lags.changes },
  };
}

/** Reads, checks and plans a run against `store` (undefined: a store that does not exist yet); writes nothing. */
async function prepare(store: FeatureStore | undefined, dir: string, options: RunOptions) {
  const forecastDays = options.forecastDays ?? 0;
  if (forecastDays > 0 && options.end === undefined) throw new ValidationError('a run with forecasts needs an end date (the issue date)');
  const source = { source: 'beijing' as const, path: dir };
  if (store) assertSourceFits(store, source);
  const bad = new BadRows();
  const stations = readStations(dir, options, bad);
  const rows = dailyRows(stations, options);
  const planned = await planRows(store, rows, options);
  const plan: RunPlan = {
    stations: rows.locations.map((l) => String(l.location_id)),
    hourlyRows: rows.hourlyRows,
    days: rows.air.length,
    forecastDays,
    bad_rows: bad.summary(),
    changes: planned.changes,
  };
  return { plan, rows: planned.rows, source, lastDay: rows.lastDay, files: stations.length };
}

/** A dry run: what `runBeijing` would read and change, with nothing written (a store that does not exist stays so). */
export async function checkBeijing(store: FeatureStore | undefined, dir: string, options: RunOptions = {}): Promise<RunPlan> {
  return (await prepare(store, dir, options)).plan;
}

/**
 * Reads and checks every file first, then writes the four groups in one store transaction: a run
 * that fails half way writes nothing, and re-running a run writes nothing new.
 */
export async function runBeijing(store: FeatureStore, dir: string, options: RunOptions = {}): Promise<BeijingRun> {
  const progress = options.progress ?? (() => undefined);
  const { plan, rows, source, lastDay, files } = await prepare(store, dir, options);
  const groups = await airQualityGroups(store);
  progress({ done: files, total: files + 1, message: 'writing' });
  // The store stands at the last day the run observed (a day the files do not have does not move it).
  const commits = await writeRun(store, groups, rows, { source, broughtTo: lastDay });
  progress({ done: files + 1, total: files + 1, message: `wrote ${plan.days} station-days` });
  return { ...plan, commits };
}

/** Backfill: observations of a range (default: all), no forecasts. */
export function backfillBeijing(store: FeatureStore, dir: string, options: Omit<RunOptions, 'forecastDays'> = {}): Promise<BeijingRun> {
  return runBeijing(store, dir, options);
}

/** A daily run in replay mode: day `date` as if it had just arrived, plus the 7-day (perfect) forecast. */
export function dailyBeijing(store: FeatureStore, dir: string, date: string, progress?: ProgressFn): Promise<BeijingRun> {
  if (date > BEIJING_LAST || date < BEIJING_FIRST) {
    return Promise.reject(
      new ValidationError(
        `nothing to replay for ${date}: the UCI Beijing data covers ${BEIJING_FIRST} to ${BEIJING_LAST} (it is a fixed archive, not a live feed)`,
      ),
    );
  }
  return runBeijing(store, dir, { start: date, end: date, forecastDays: 7, progress });
}
