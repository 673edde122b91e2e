// Backfill of one location from an aqicn CSV export: its location record, daily air quality and lags.
import { z } from 'zod';
import { parseOrThrow } from '../../core/validate.js';
import type { FeatureStore, InputRow } from '../../store/index.js';
import { airQualityGroups } from '../feature-groups.js';
import type { Location } from '../locations.js';
import { readAqicnCsv } from '../sources/aqicn-csv.js';
import { lagRows } from './daily-rows.js';

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

export async function importAqicn(store: FeatureStore, file: string, locationInput: AqicnLocationInput) {
  const location: Location = { ...parseOrThrow(AqicnLocationSchema, locationInput, 'location'), source: 'aqicn' };
  const days = readAqicnCsv(file);
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
  const groups = await airQualityGroups(store);
  const lagged = lagRows(
    location.location_id,
    days.map((d) => ({ date: d.date, value: d.pm25 })),
  );
  // One transaction: an import that fails part way writes nothing.
  const { locations, airQuality, lags } = await store.transaction(async () => ({
    locations: await groups.locations.insert([{ ...location }]),
    airQuality: await groups.airQuality.insert(air),
    lags: await groups.lags.insert(lagged),
  }));
  return {
    location: location.location_id,
    days: days.length,
    first: days[0]?.date ?? null,
    last: days.at(-1)?.date ?? null,
    commits: { locations, airQuality, lags },
  };
}
