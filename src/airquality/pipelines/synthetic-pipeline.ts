// The synthetic city's feature pipeline: the same run shape as the real sources (backfill, daily, forecasts).
import { addDays, isoDateToEpochDays } from '../../core/dates.js';
import { ValidationError } from '../../core/errors.js';
import type { FeatureStore, InputRow } from '../../store/index.js';
import { airQualityGroups } from '../feature-groups.js';
import type { Location } from '../locations.js';
import { compassOf, SYNTHETIC_EPOCH, syntheticDays, syntheticForecast, type SyntheticDay } from '../sources/synthetic.js';
import { windComponents } from '../features/wind.js';
import { lagRows } from './daily-rows.js';
import { pm25History, writeRun, type RunCommits, type RunRows } from './run-writer.js';
import { assertSourceFits } from '../store-clock.js';

export const SYNTHETIC_LOCATION: Location = {
  location_id: 'synthetic-city',
  name: 'Synthetic City (synthetic data)',
  city: 'Synthetic City',
  country: 'ZZ',
  latitude: 45.0,
  longitude: 10.0,
  timezone: 'UTC',
  source: 'synthetic',
  aliases: 'synthetic,demo city',
};

export interface SyntheticRunOptions {
  /** Inclusive; default: three years before `end`. */
  start?: string;
  end: string;
  forecastDays?: number;
  seed?: number;
}

function weatherRow(d: SyntheticDay, issuedOn: string | null): InputRow {
  const { u, v } = windComponents(d.windSpeed, d.windDirection);
  return {
    location_id: SYNTHETIC_LOCATION.location_id,
    date: d.date,
    temperature_mean: d.temperature,
    dew_point_mean: d.dewPoint,
    pressure_mean: d.pressure,
    precipitation_sum: d.precipitation,
    wind_speed_mean: d.windSpeed,
    wind_speed_max: d.windSpeedMax,
    wind_u: Math.round(u * 1000) / 1000,
    wind_v: Math.round(v * 1000) / 1000,
    wind_direction: d.windDirection,
    wind_direction_dominant: compassOf(d),
    is_forecast: issuedOn !== null,
    forecast_issued_on: issuedOn,
  };
}

export async function runSynthetic(store: FeatureStore, options: SyntheticRunOptions) {
  const forecastDays = options.forecastDays ?? 0;
  const source = { source: 'synthetic' as const, seed: options.seed ?? 1 };
  assertSourceFits(store, source);
  const start = options.start ?? addDays(options.end, -3 * 365);
  if (start < SYNTHETIC_EPOCH) throw new ValidationError(`the synthetic city starts on ${SYNTHETIC_EPOCH}; pick a later start date`);
  if (start > options.end) throw new ValidationError(`start ${start} is after end ${options.end}`);
  const all = syntheticDays(addDays(options.end, forecastDays), options.seed);
  const from = isoDateToEpochDays(start) - isoDateToEpochDays(SYNTHETIC_EPOCH);
  const observed = all.slice(from, from + isoDateToEpochDays(options.end) - isoDateToEpochDays(start) + 1);
  const future = all.slice(all.length - forecastDays);
  const groups = await airQualityGroups(store);
  const series = [...(await pm25History(groups, SYNTHETIC_LOCATION.location_id, start)), ...observed.map((d) => ({ date: d.date, value: d.pm25 }))];
  const rows: RunRows = {
    locations: [{ ...SYNTHETIC_LOCATION }],
    air: observed.map((d) => ({
      location_id: SYNTHETIC_LOCATION.location_id,
      date: d.date,
      pm25: d.pm25,
      pm25_max: d.pm25Max,
      pm10: d.pm10,
      no2: d.no2,
      hours_measured: 24,
      pm25_source: 'synthetic',
    })),
    weather: [...observed.map((d) => weatherRow(d, null)), ...future.map((d, i) => weatherRow(syntheticForecast(d, i + 1, options.seed), options.end))],
    lags: lagRows(SYNTHETIC_LOCATION.location_id, series).filter((r) => (r.date as string) >= start),
  };
  const commits: RunCommits = await writeRun(store, groups, rows, { source, broughtTo: options.end });
  return { stations: [SYNTHETIC_LOCATION.location_id], hourlyRows: 0, days: observed.length, forecastDays, commits };
}
