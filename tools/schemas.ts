// Input and output pieces the tools share: dates, locations, and the location record.
import { z } from 'zod';
import { isIsoDate } from '../src/core/dates.js';

// The pattern reaches clients in the JSON Schema (a refine cannot), so an agent can check a date before it calls.
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date written YYYY-MM-DD')
  .refine(isIsoDate, 'a real calendar date written YYYY-MM-DD');
export const LocationText = z
  .string()
  .min(1)
  .max(200)
  .describe('A location id (e.g. "beijing-dongsi") or a name or alias (e.g. "Dongsi", "Hornsgatan"); list_locations gives them all.');

export const LocationOut = z.object({
  location_id: z.string(),
  name: z.string(),
  city: z.string(),
  country: z.string(),
  latitude: z.number(),
  longitude: z.number(),
  timezone: z.string(),
  source: z
    .string()
    .describe(
      'uci-beijing (historical, replayed), open-meteo (CAMS model values), aqicn, aqicn:FEED or openaq:ID (a sensor, gaps filled from CAMS), or synthetic',
    ),
  aliases: z.array(z.string()),
});

/** A day's weather as forecast and history answers carry it. */
export const DayWeatherOut = z
  .object({
    temperature_c: z.number().nullable().describe('Daily mean air temperature, °C.'),
    precipitation_mm: z.number().nullable().describe('Daily total rain and snow, mm.'),
    wind_mean_ms: z.number().nullable().describe('Daily mean wind speed, m/s.'),
    wind_max_ms: z.number().nullable().describe('Highest hourly wind speed, m/s.'),
    wind_from: z.string().nullable().describe('16-point compass direction the wind mostly blew from.'),
    forecast: z.boolean().describe('True for forecast weather (or recorded weather replayed as a forecast).'),
  })
  .nullable()
  .describe('The day\'s weather (null when the store has none): answers "will it rain / be windy / be cold?".');

/** Numbers a model may pass as column values: bounded like every number airq takes, so no value overflows on the way. */
const ColumnScalar = z.union([z.string().max(500), z.number().min(-1e15).max(1e15), z.boolean()]);

/**
 * Column values as a list of {column, value} pairs, not an open key/value object: every model provider's function calling
 * (OpenAI strict mode, Gemini) can express this shape, none can express an object with arbitrary keys.
 */
export const ColumnValues = z
  .array(z.object({ column: z.string().min(1).max(100).describe('A column name.'), value: ColumnScalar.describe('Its value.') }).strict())
  .min(1)
  .max(16)
  .refine((pairs) => new Set(pairs.map((p) => p.column)).size === pairs.length, 'give each column once');

/** The pairs as the record the store's APIs take. */
export const recordOf = (pairs: z.output<typeof ColumnValues>): Record<string, string | number | boolean> =>
  Object.fromEntries(pairs.map((p) => [p.column, p.value]));
