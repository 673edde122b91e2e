// Backfill of one location from an aqicn CSV export: its location record, daily air quality and lags; checked before anything is written.
import { z } from 'zod';
import { parseOrThrow } from '../../core/validate.js';
import type { FeatureStore, InputRow } from '../../store/index.js';
import { airQualityGroups } from '../feature-groups.js';
import type { Location } from '../locations.js';
import { readAqicnCsv } from '../sources/aqicn-csv.js';
import { BadRows } from '../sources/import-checks.js';
import { lagRows } from './daily-rows.js';
import { AIR_QUALITY_RULE, existingGroup, mergeWithStored } from './import-plan.js';

export const AqicnLocationSchema = z.object({
  location_id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a location id is lowercase letters, digits and -, e.g. stockholm-hornsgatan'),
  name: z.string().min(1).max(200),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  city: z.string().max(200).default(''),
  country: z.string().max(2).default(''),
  timezone: z.string().max(64).default('UTC'),
  aliases: z.string().max(1000).default(''),
});
export type AqicnLocationInput = z.input<typeof AqicnLocationSchema>;

export interface AqicnOptions {
  /** Leave bad rows out (counted by reason) instead of refusing the file. */
  skipBadRows?: boolean;
  /** Let the file's blanks replace measured values in the store (default: the stored values are kept). */
  allowNullsOverValues?: boolean;
}

/** Reads and checks the file, and merges its rows with what `store` holds (undefined: no store yet); writes nothing. */
async function prepare(store: FeatureStore | undefined, file: string, locationInput: AqicnLocationInput, options: AqicnOptions) {
  const location: Location = { ...parseOrThrow(AqicnLocationSchema, locationInput, 'location'), source: 'aqicn' };
  const bad = new BadRows();
  const days = readAqicnCsv(file, bad);
  if (!options.skipBadRows) bad.refuse();
  const allowNulls = options.allowNullsOverValues ?? false;
  const key = ['location_id', 'date'];
  const air: InputRow[] = days.map((d) => ({
    location_id: location.location_id,
    date: d.date,
    pm25: d.pm25,
    pm25_max: d.pm25Max,
    pm10: d.pm10,
    no2: d.no2,
    hours_measured: 24, // a daily source: the day is taken as fully measured
    pm25_source: 'aqicn',
  }));
  const locations = await mergeWithStored(existingGroup(store, 'locations'), [{ ...location }], ['location_id'], { allowNulls });
  const aq = await mergeWithStored(existingGroup(store, 'air_quality'), air, key, { allowNulls, rule: AIR_QUALITY_RULE });
  // The lags follow the PM2.5 that will be stored: a kept value counts.
  const series = aq.rows.map((r) => ({ date: r.date as string, value: r.pm25 as number | null }));
  const lags = await mergeWithStored(existingGroup(store, 'air_quality_lags'), lagRows(location.location_id, series), key, { allowNulls });
  const summary = {
    location: location.location_id,
    days: days.length,
    first: days[0]?.date ?? null,
    last: days.at(-1)?.date ?? null,
    bad_rows: bad.summary(),
    changes: { locations: locations.changes, air_quality: aq.changes, air_quality_lags: lags.changes },
  };
  return { summary, rows: { locations: locations.rows, air: aq.rows, lags: lags.rows } };
}

/** A dry run: what `importAqicn` would read and change, with nothing written. */
export async function checkAqicn(store: FeatureStore | undefined, file: string, locationInput: AqicnLocationInput, options: AqicnOptions = {}) {
  return (await prepare(store, file, locationInput, options)).summary;
}

export async function importAqicn(store: FeatureStore, file: string, locationInput: AqicnLocationInput, options: AqicnOptions = {}) {
  const { summary, rows } = await prepare(store, file, locationInput, options);
  const groups = await airQualityGroups(store);
  // One transaction: an import that fails part way writes nothing.
  const { locations, airQuality, lags } = await store.transaction(async () => ({
    locations: await groups.locations.insert(rows.locations),
    airQuality: await groups.airQuality.insert(rows.air),
    lags: await groups.lags.insert(rows.lags),
  }));
  return { ...summary, commits: { locations, airQuality, lags } };
}
