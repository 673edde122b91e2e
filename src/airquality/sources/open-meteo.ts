// Open-Meteo (no key): historical weather archive, weather forecast, and the air-quality API (CAMS model).
import { z } from 'zod';
import { addDays, isIsoDate } from '../../core/dates.js';
import { ValidationError } from '../../core/errors.js';
import type { ProviderConfig } from '../../core/config.js';
import type { InputRow } from '../../store/index.js';
import { coveredMean, hoursMeasured, maxOf, round } from '../features/daily.js';
import { degreesToCompass, windComponents } from '../features/wind.js';
import { fetchJson, type FetchOptions } from '../http/fetch.js';

export type OpenMeteoEndpoints = ProviderConfig['openMeteo'];

const DAILY = [
  'temperature_2m_mean',
  'dew_point_2m_mean',
  'pressure_msl_mean',
  'precipitation_sum',
  'wind_speed_10m_mean',
  'wind_speed_10m_max',
  'wind_direction_10m_dominant',
] as const;
const Values = z.array(z.number().nullable());
const DateText = z.string().refine(isIsoDate, 'a date written YYYY-MM-DD');

/** The documented shape of a `daily=` answer (only what airq asks for). */
const DailyWeatherSchema = z.object({
  latitude: z.number(),
  longitude: z.number(),
  daily: z
    .object({ time: z.array(DateText), ...Object.fromEntries(DAILY.map((k) => [k, Values])) } as { time: z.ZodArray<typeof DateText> } & Record<
      (typeof DAILY)[number],
      typeof Values
    >)
    .refine((d) => DAILY.every((k) => d[k].length === d.time.length), 'every daily series has one value per date'),
});

const HourlyAirSchema = z.object({
  latitude: z.number(),
  longitude: z.number(),
  hourly: z
    .object({ time: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/)), pm2_5: Values, pm10: Values, nitrogen_dioxide: Values })
    .refine(
      (h) => h.pm2_5.length === h.time.length && h.pm10.length === h.time.length && h.nitrogen_dioxide.length === h.time.length,
      'every hourly series has one value per hour',
    ),
});

export interface Place {
  location_id: string;
  latitude: number;
  longitude: number;
}

function query(params: Record<string, string | number>): string {
  return new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
}

function weatherRows(place: Place, body: z.output<typeof DailyWeatherSchema>, issuedOn: string | null): InputRow[] {
  const d = body.daily;
  return d.time.map((date, i) => {
    const speed = d.wind_speed_10m_mean[i] ?? null;
    const dir = d.wind_direction_10m_dominant[i] ?? null;
    const uv = speed !== null && dir !== null ? windComponents(speed, dir) : null;
    return {
      location_id: place.location_id,
      date,
      temperature_mean: d.temperature_2m_mean[i] ?? null,
      dew_point_mean: d.dew_point_2m_mean[i] ?? null,
      pressure_mean: d.pressure_msl_mean[i] ?? null,
      precipitation_sum: d.precipitation_sum[i] ?? null,
      wind_speed_mean: speed,
      wind_speed_max: d.wind_speed_10m_max[i] ?? null,
      wind_u: uv ? round(uv.u, 3) : null,
      wind_v: uv ? round(uv.v, 3) : null,
      wind_direction: dir,
      wind_direction_dominant: dir === null ? null : degreesToCompass(dir),
      is_forecast: issuedOn !== null && date > issuedOn,
      forecast_issued_on: issuedOn !== null && date > issuedOn ? issuedOn : null,
    };
  });
}

const dailyParams = (place: Place) => ({
  latitude: place.latitude,
  longitude: place.longitude,
  daily: DAILY.join(','),
  wind_speed_unit: 'ms',
  timezone: 'auto',
});

/** Observed daily weather for [start, end] from the archive. */
export async function archiveWeather(
  place: Place,
  start: string,
  end: string,
  endpoints: OpenMeteoEndpoints,
  fetch: Partial<FetchOptions> = {},
): Promise<InputRow[]> {
  if (start > end) throw new ValidationError(`archive weather: start ${start} is after end ${end}`);
  const url = `${endpoints.archive}?${query({ ...dailyParams(place), start_date: start, end_date: end })}`;
  return weatherRows(place, await fetchJson(url, DailyWeatherSchema, { what: 'Open-Meteo weather archive', ...fetch }), null);
}

/**
 * Daily weather from the forecast API for `from` to `issuedOn` + `days`: the days up to `issuedOn` are
 * its best estimate of what happened (the archive lags a few days), the later ones forecasts issued on `issuedOn`.
 */
export async function forecastWeather(
  place: Place,
  from: string,
  issuedOn: string,
  days: number,
  endpoints: OpenMeteoEndpoints,
  fetch: Partial<FetchOptions> = {},
): Promise<InputRow[]> {
  if (from > issuedOn) throw new ValidationError(`forecast weather: start ${from} is after the issue date ${issuedOn}`);
  const url = `${endpoints.forecast}?${query({ ...dailyParams(place), start_date: from, end_date: addDays(issuedOn, days) })}`;
  return weatherRows(place, await fetchJson(url, DailyWeatherSchema, { what: 'Open-Meteo weather forecast', ...fetch }), issuedOn);
}

const ZoneSchema = z.object({ timezone: z.string().min(1) }).passthrough();

/** The IANA time zone at a point, as Open-Meteo's forecast API names it with timezone=auto. */
export async function timezoneAt(latitude: number, longitude: number, endpoints: OpenMeteoEndpoints, fetch: Partial<FetchOptions> = {}): Promise<string> {
  const url = `${endpoints.forecast}?${query({ latitude, longitude, daily: 'temperature_2m_mean', forecast_days: 1, timezone: 'auto' })}`;
  return (await fetchJson(url, ZoneSchema, { what: 'Open-Meteo time zone lookup', ...fetch })).timezone;
}

/** Daily air quality for [start, end] from Open-Meteo's hourly CAMS model values (18-hour rule). */
export async function modelAirQuality(
  place: Place,
  start: string,
  end: string,
  endpoints: OpenMeteoEndpoints,
  fetch: Partial<FetchOptions> = {},
): Promise<InputRow[]> {
  const url = `${endpoints.airQuality}?${query({ latitude: place.latitude, longitude: place.longitude, hourly: 'pm2_5,pm10,nitrogen_dioxide', start_date: start, end_date: end, timezone: 'auto' })}`;
  const h = (await fetchJson(url, HourlyAirSchema, { what: 'Open-Meteo air quality', ...fetch })).hourly;
  const days = new Map<string, number[]>();
  h.time.forEach((t, i) => {
    const date = t.slice(0, 10);
    days.set(date, [...(days.get(date) ?? []), i]);
  });
  return [...days.entries()].map(([date, idx]) => {
    const pm25 = idx.map((i) => h.pm2_5[i] ?? null);
    return {
      location_id: place.location_id,
      date,
      pm25: round(coveredMean(pm25)),
      pm25_max: maxOf(pm25),
      pm10: round(coveredMean(idx.map((i) => h.pm10[i] ?? null))),
      no2: round(coveredMean(idx.map((i) => h.nitrogen_dioxide[i] ?? null))),
      hours_measured: hoursMeasured(pm25),
      pm25_source: 'cams',
    };
  });
}
