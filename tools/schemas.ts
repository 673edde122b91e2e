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
