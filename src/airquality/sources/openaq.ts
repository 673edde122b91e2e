// OpenAQ v3 (key in the X-API-Key header): a location and its sensors, and a sensor's daily means.
import { z } from 'zod';
import { ValidationError } from '../../core/errors.js';
import { round } from '../features/daily.js';
import { fetchJson, type FetchOptions } from '../http/fetch.js';

export interface OpenAqConfig {
  key: string;
  baseUrl: string;
}

const Parameter = z.object({ id: z.number().optional(), name: z.string(), units: z.string() }).passthrough();

const LocationSchema = z.object({
  results: z
    .array(
      z
        .object({
          id: z.number(),
          name: z.string().nullable(),
          locality: z.string().nullable().optional(),
          timezone: z.string(),
          country: z.object({ code: z.string(), name: z.string().optional() }).passthrough(),
          coordinates: z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }),
          sensors: z.array(z.object({ id: z.number(), parameter: Parameter }).passthrough()),
        })
        .passthrough(),
    )
    .min(1),
});

const DaysSchema = z.object({
  meta: z
    .object({ found: z.union([z.number(), z.string()]).optional() })
    .passthrough()
    .optional(),
  results: z.array(
    z
      .object({
        value: z.number().nullable(),
        parameter: Parameter,
        period: z.object({ datetimeFrom: z.object({ local: z.string().regex(/^\d{4}-\d{2}-\d{2}T/) }).passthrough() }).passthrough(),
        coverage: z.object({ observedCount: z.number().optional(), expectedCount: z.number().optional() }).passthrough().optional(),
      })
      .passthrough(),
  ),
});

export interface OpenAqLocation {
  id: number;
  name: string;
  city: string;
  countryCode: string;
  latitude: number;
  longitude: number;
  timezone: string;
  /** Sensor ids of the pollutants airq keeps, where the location measures them. */
  sensors: Partial<Record<Pollutant, { id: number; units: string }>>;
}

export type Pollutant = 'pm25' | 'pm10' | 'no2';
const POLLUTANTS: readonly Pollutant[] = ['pm25', 'pm10', 'no2'];

const options = (config: OpenAqConfig, what: string, fetch: Partial<FetchOptions>): FetchOptions => ({
  what,
  ...fetch,
  headers: { 'X-API-Key': config.key },
});

const base = (config: OpenAqConfig) => config.baseUrl.replace(/\/$/, '');

export async function openAqLocation(config: OpenAqConfig, id: number, fetch: Partial<FetchOptions> = {}): Promise<OpenAqLocation> {
  const body = await fetchJson(`${base(config)}/v3/locations/${id}`, LocationSchema, options(config, `OpenAQ location ${id}`, fetch));
  const l = body.results[0]!;
  const sensors: OpenAqLocation['sensors'] = {};
  for (const s of l.sensors) {
    const p = s.parameter.name.toLowerCase().replace('.', '') as Pollutant;
    if (POLLUTANTS.includes(p) && !sensors[p]) sensors[p] = { id: s.id, units: s.parameter.units };
  }
  if (!sensors.pm25) throw new ValidationError(`OpenAQ location ${id} (${l.name ?? 'unnamed'}) has no PM2.5 sensor; pick a location that measures pm25`);
  return {
    id: l.id,
    name: l.name ?? `OpenAQ ${l.id}`,
    city: l.locality ?? '',
    countryCode: l.country.code.toUpperCase(),
    latitude: l.coordinates.latitude,
    longitude: l.coordinates.longitude,
    timezone: l.timezone,
    sensors,
  };
}

/** µg/m³ from a value in the sensor's units (NO2 in ppb/ppm at 25 °C: 1 ppb = 1.88 µg/m³); null for units airq cannot convert. */
function toMicrograms(p: Pollutant, value: number, units: string): number | null {
  const u = units.toLowerCase().replace('μ', 'µ');
  if (u === 'µg/m³' || u === 'ug/m3' || u === 'µg/m3') return value;
  if (p === 'no2' && u === 'ppb') return value * 1.88;
  if (p === 'no2' && u === 'ppm') return value * 1880;
  return null;
}

/** Daily means of one sensor for [start, end] (local dates), in µg/m³; every page is read. Days under 75% coverage are dropped (the 18-hour rule). */
export async function openAqDays(
  config: OpenAqConfig,
  pollutant: Pollutant,
  sensor: { id: number; units: string },
  start: string,
  end: string,
  fetch: Partial<FetchOptions> = {},
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let page = 1; page <= 50; page++) {
    const q = new URLSearchParams({ date_from: start, date_to: end, limit: '1000', page: String(page) });
    const url = `${base(config)}/v3/sensors/${sensor.id}/days?${q}`;
    const body = await fetchJson(url, DaysSchema, options(config, `OpenAQ sensor ${sensor.id} days`, fetch));
    for (const r of body.results) {
      const date = r.period.datetimeFrom.local.slice(0, 10);
      const c = r.coverage;
      const enough = !c || c.observedCount === undefined || !c.expectedCount || c.observedCount / c.expectedCount >= 0.75;
      const v = r.value === null ? null : toMicrograms(pollutant, r.value, r.parameter.units);
      if (v !== null && v >= 0 && enough && date >= start && date <= end) out.set(date, round(v)!);
    }
    if (body.results.length < 1000) break;
  }
  return out;
}
