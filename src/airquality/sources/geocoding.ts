// Open-Meteo's geocoding API: place names to coordinates, country, region and time zone.
import { z } from 'zod';
import { fetchJson, type FetchOptions } from '../http/fetch.js';

const ResultSchema = z
  .object({
    id: z.number().optional(),
    name: z.string().min(1),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    timezone: z.string().min(1).optional(),
    country_code: z.string().optional(),
    country: z.string().optional(),
    admin1: z.string().optional(),
    admin2: z.string().optional(),
    population: z.number().optional(),
  })
  .passthrough();

/** The documented answer: `results` is absent when nothing matches. */
const SearchSchema = z.object({ results: z.array(ResultSchema).optional() }).passthrough();

export interface GeocodedPlace {
  name: string;
  latitude: number;
  longitude: number;
  timezone: string | undefined;
  countryCode: string;
  country: string;
  /** The region (admin1) and district (admin2) where the geocoder has them. */
  region: string;
}

/** Places named `name`, best match first (at most 10). */
export async function geocode(name: string, url: string, fetch: Partial<FetchOptions> = {}): Promise<GeocodedPlace[]> {
  const q = new URLSearchParams({ name, count: '10', language: 'en', format: 'json' });
  const body = await fetchJson(`${url}?${q}`, SearchSchema, { what: 'Open-Meteo geocoding', ...fetch });
  return (body.results ?? []).map((r) => ({
    name: r.name,
    latitude: r.latitude,
    longitude: r.longitude,
    timezone: r.timezone,
    countryCode: (r.country_code ?? '').toUpperCase(),
    country: r.country ?? r.country_code ?? '',
    region: [r.admin1, r.admin2].filter(Boolean).join(', '),
  }));
}

/** One line per candidate, for a person picking one: "1. Springfield, Illinois, United States (39.80, -89.64)". */
export function describeCandidates(places: readonly GeocodedPlace[]): string[] {
  return places.map((p, i) => `${i + 1}. ${[p.name, p.region, p.country].filter(Boolean).join(', ')} (${p.latitude.toFixed(2)}, ${p.longitude.toFixed(2)})`);
}
