// What `airq places add` and the add_place tool accept: a name, optional coordinates, time zone and sensor, checked before anything is fetched.
import { z } from 'zod';
import { ValidationError } from '../../core/errors.js';
import { formatZodIssues } from '../../core/validate.js';

/** `aqicn:@10009`, `aqicn:A123456`, `aqicn:sweden/stockholm/hornsgatan-108`, or `openaq:2178`. */
export const SensorSchema = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const aqicn = /^aqicn:(@\d{1,9}|A\d{1,9}|[a-z0-9][a-z0-9_\-./]{0,120})$/i.exec(s);
    if (aqicn && !aqicn[1]!.includes('..')) return { network: 'aqicn' as const, id: aqicn[1]! };
    const openaq = /^openaq:(\d{1,12})$/.exec(s);
    if (openaq) return { network: 'openaq' as const, id: openaq[1]! };
    ctx.addIssue({
      code: 'custom',
      message: `"${s}" is not a sensor id; write aqicn:FEED (e.g. aqicn:@10009 or aqicn:sweden/stockholm/hornsgatan-108) or openaq:LOCATION_ID (e.g. openaq:2178)`,
    });
    return z.NEVER;
  });
export type Sensor = z.output<typeof SensorSchema>;

/** The IANA name as the runtime spells it ("europe/berlin" -> "Europe/Berlin"), or undefined for an unknown zone. */
function canonicalZone(tz: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

export const PlaceInputSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'the place needs a name')
      .max(100, 'a place name has at most 100 characters')
      .refine((n) => /[\p{L}\p{N}]/u.test(n), 'a place name needs a letter or a digit'),
    latitude: z.number().min(-90, 'must be between -90 and 90').max(90, 'must be between -90 and 90').optional(),
    longitude: z.number().min(-180, 'must be between -180 and 180').max(180, 'must be between -180 and 180').optional(),
    timezone: z
      .string()
      .transform((tz, ctx) => {
        const known = canonicalZone(tz);
        if (known) return known;
        ctx.addIssue({ code: 'custom', message: `"${tz}" is not a known IANA time zone (e.g. Europe/Berlin, America/New_York)` });
        return z.NEVER;
      })
      .optional(),
    sensor: SensorSchema.optional(),
    pick: z.number().int().min(1).max(10).optional(),
  })
  .strict()
  .refine((p) => (p.latitude === undefined) === (p.longitude === undefined), 'give both latitude and longitude, or neither');
export type PlaceInput = z.output<typeof PlaceInputSchema>;

/** The checked input, or a ValidationError naming what is wrong (the CLI reports it as a usage error). */
export function parsePlaceInput(raw: unknown): PlaceInput {
  const parsed = PlaceInputSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(formatZodIssues(parsed.error).replace(/^input: /, ''));
  return parsed.data;
}

/** A place's id from its name: lower case ASCII, accents dropped, words joined by "-" ("Berlin Neukölln" -> berlin-neukolln). */
export function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

/** A place's sensor, from its locations.source (`aqicn:FEED`, `openaq:ID`), or undefined for a place without one (CAMS, a replay). */
export function sensorOf(place: { source: string }): Sensor | undefined {
  if (!place.source.includes(':')) return undefined;
  const parsed = SensorSchema.safeParse(place.source);
  return parsed.success ? parsed.data : undefined;
}
