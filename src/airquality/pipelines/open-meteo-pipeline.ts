// The live feature pipeline for a real place through Open-Meteo: weather observations and forecasts, and
// CAMS-model air quality. The same run shape as the other sources; every fetch happens before the one
// atomic write, so a run with an unreachable or malformed source writes nothing.
import { addDays } from '../../core/dates.js';
import { ValidationError } from '../../core/errors.js';
import type { FeatureStore, InputRow } from '../../store/index.js';
import { airQualityGroups } from '../feature-groups.js';
import type { Location } from '../locations.js';
import type { FetchOptions } from '../http/fetch.js';
import { archiveWeather, forecastWeather, modelAirQuality, type OpenMeteoEndpoints } from '../sources/open-meteo.js';
import { aqicnCurrent, type AqicnConfig } from '../sources/aqicn-api.js';
import { lagRows } from './daily-rows.js';
import { pm25History, writeRun, type RunCommits } from './run-writer.js';
import { assertSourceFits } from '../store-clock.js';

/** The sensor the book uses: Stockholm, Hornsgatan 108. Air quality for it comes from the CAMS model. */
export const STOCKHOLM_HORNSGATAN: Location = {
  location_id: 'stockholm-hornsgatan',
  name: 'Hornsgatan 108',
  city: 'Stockholm',
  country: 'SE',
  latitude: 59.3172,
  longitude: 18.0494,
  timezone: 'Europe/Stockholm',
  source: 'open-meteo',
  aliases: 'Hornsgatan,Södermalm',
};

export interface LiveRunOptions {
  start: string;
  end: string;
  forecastDays?: number;
  endpoints: OpenMeteoEndpoints;
  fetch?: Partial<FetchOptions>;
  /** With a key, a daily run takes the day's PM2.5 from this aqicn station (the book's live path) instead of the CAMS model. */
  aqicn?: AqicnConfig;
}

/**
 * Observations of [start, end] (weather from the archive; for a one-day run, the forecast API's value
 * for that day, since the archive lags a few days) and, with forecastDays, the forecast issued on `end`.
 */
export async function runOpenMeteo(store: FeatureStore, location: Location, options: LiveRunOptions) {
  const { start, end, endpoints, fetch } = options;
  if (start > end) throw new ValidationError(`start ${start} is after end ${end}`);
  const source = { source: 'live' as const, location: location.location_id, timezone: location.timezone };
  assertSourceFits(store, source);
  const forecastDays = options.forecastDays ?? 0;
  const daily = start === end && forecastDays > 0;
  const forecast = forecastDays > 0 ? await forecastWeather(location, addDays(end, -1), forecastDays + 1, endpoints, fetch) : [];
  const observedWeather: InputRow[] = daily
    ? forecast.filter((r) => r.date === end).map((r) => ({ ...r, is_forecast: false, forecast_issued_on: null }))
    : await archiveWeather(location, start, end, endpoints, fetch);
  const air = daily && options.aqicn ? await aqicnDay(location, end, options.aqicn, fetch) : await modelAirQuality(location, start, end, endpoints, fetch);
  const groups = await airQualityGroups(store);
  const series = [...(await pm25History(groups, location.location_id, start)), ...air.map((r) => ({ date: r.date as string, value: r.pm25 as number | null }))];
  const future = forecast.filter((r) => (r.date as string) > end).map((r) => ({ ...r, forecast_issued_on: end }));
  const commits: RunCommits = await writeRun(
    store,
    groups,
    {
      locations: [{ ...location }],
      air,
      weather: [...observedWeather, ...future],
      lags: lagRows(location.location_id, series).filter((r) => (r.date as string) >= start),
    },
    { source },
  );
  return { stations: [location.location_id], hourlyRows: 0, days: air.length, forecastDays: future.length > 0 ? forecastDays : 0, commits };
}

/** The day's row from the station's current reading: one reading, not a mean of hours (hours_measured unknown). */
async function aqicnDay(location: Location, date: string, config: AqicnConfig, fetch?: Partial<FetchOptions>): Promise<InputRow[]> {
  const r = await aqicnCurrent(config, fetch);
  if (r.date !== date) {
    throw new ValidationError(`aqicn's latest reading for ${config.station} is from ${r.date}, not ${date}; the station may be offline`);
  }
  return [{ location_id: location.location_id, date, pm25: r.pm25, pm25_max: null, pm10: r.pm10, no2: null, hours_measured: null }];
}
