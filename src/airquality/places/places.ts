// A live store's places: find a new one (geocoder, coordinates or an OpenAQ location), add it with a year of history, remove one.
import { addDays } from '../../core/dates.js';
import { ConfigError, ConflictError, NotFoundError, UsageError } from '../../core/errors.js';
import { col, type FeatureStore } from '../../store/index.js';
import type { Location } from '../locations.js';
import { runPlace, type PlaceRun, type Providers } from '../pipelines/place-pipeline.js';
import { listLocations } from '../services/locations.js';
import { describeCandidates, geocode } from '../sources/geocoding.js';
import { timezoneAt } from '../sources/open-meteo.js';
import { openAqLocation } from '../sources/openaq.js';
import { assertSourceFits, liveZones, readSource, recordRun, todayIn, type StoreSource } from '../store-clock.js';
import { slugOf, type PlaceInput } from './place-input.js';

/** Days of history a new place gets (at least a year). */
export const BACKFILL_DAYS = 366;

type Where = Pick<Location, 'latitude' | 'longitude' | 'city' | 'country' | 'aliases'> & { timezone?: string };

/**
 * "Springfield, Illinois" -> the geocoder's matches for Springfield whose region or country mentions Illinois.
 * A name the geocoder does not know as a whole ("Berlin Neukölln") is tried as its last word, narrowed by the rest.
 */
async function candidates(name: string, p: Providers) {
  const [query, ...hints] = name.split(',').map((s) => s.trim());
  const narrow = async (q: string, hint: string) => {
    const all = await geocode(q, p.config.openMeteo.geocoding, p.fetch);
    return hint ? all.filter((c) => `${c.name} ${c.region} ${c.country} ${c.countryCode}`.toLowerCase().includes(hint)) : all;
  };
  const whole = await narrow(query!, hints.join(' ').toLowerCase());
  const words = query!.split(/\s+/);
  if (whole.length > 0 || words.length < 2 || hints.length > 0) return { query: query!, matches: whole };
  return { query: query!, matches: await narrow(words.at(-1)!, words.slice(0, -1).join(' ').toLowerCase()) };
}

async function geocoded(input: PlaceInput, p: Providers): Promise<Where> {
  const { query, matches } = await candidates(input.name, p);
  if (matches.length === 0)
    throw new NotFoundError(
      `no place called "${input.name}" was found; check the spelling, add the country ("${query}, Germany"), or give latitude and longitude (--lat, --lon)`,
    );
  if (matches.length > 1 && input.pick === undefined)
    throw new UsageError(
      `${matches.length} places are called "${input.name}": ${describeCandidates(matches).join('; ')}. Choose one with pick N (--pick N), or give latitude and longitude (--lat, --lon)`,
      { candidates: describeCandidates(matches) },
    );
  const chosen = matches[(input.pick ?? 1) - 1];
  if (!chosen) throw new UsageError(`pick ${input.pick} (--pick ${input.pick}): there are only ${matches.length} matches for "${input.name}"`);
  return {
    latitude: chosen.latitude,
    longitude: chosen.longitude,
    timezone: chosen.timezone,
    city: chosen.name,
    country: chosen.countryCode,
    aliases: [chosen.name, chosen.region].filter(Boolean).join(','),
  };
}

async function whereOf(input: PlaceInput, p: Providers): Promise<Where> {
  if (input.latitude !== undefined && input.longitude !== undefined)
    return { latitude: input.latitude, longitude: input.longitude, city: '', country: '', aliases: '' };
  if (input.sensor?.network === 'openaq') {
    const l = await openAqLocation({ key: p.config.openaq.key!, baseUrl: p.config.openaq.baseUrl }, Number(input.sensor.id), p.fetch);
    return { latitude: l.latitude, longitude: l.longitude, timezone: l.timezone, city: l.city, country: l.countryCode, aliases: l.name };
  }
  return geocoded(input, p);
}

/** The new place's record: its id (a slug of the name, unique in the store), coordinates, time zone and source. Writes nothing. */
export async function resolvePlace(store: FeatureStore, input: PlaceInput, p: Providers): Promise<Location> {
  if (input.sensor?.network === 'aqicn' && !p.config.aqicn.token)
    throw new ConfigError('an aqicn sensor needs AQICN_API_KEY (a free token from aqicn.org/data-platform/token)');
  if (input.sensor?.network === 'openaq' && !p.config.openaq.key)
    throw new ConfigError('an OpenAQ sensor needs OPENAQ_API_KEY (a free key from explore.openaq.org)');
  const known = store.listFeatureGroups().some((g) => g.name === 'locations') ? await listLocations(store) : [];
  const taken = (id: string) => {
    const same = known.find((l) => l.location_id === id);
    if (same)
      throw new ConflictError(`the store already has a place with id ${id} (${same.name}); remove it first (airq places remove ${id}) or choose another name`);
  };
  if (slugOf(input.name)) taken(slugOf(input.name)); // before any fetch, when the name alone makes the id
  const where = await whereOf(input, p);
  // "東京" has no ASCII to slug: the geocoder's English name, else the coordinates.
  const id = slugOf(input.name) || slugOf(where.city) || `place-${slugOf(`${where.latitude.toFixed(2)} ${where.longitude.toFixed(2)}`)}`;
  taken(id);
  const timezone = input.timezone ?? where.timezone ?? (await timezoneAt(where.latitude, where.longitude, p.config.openMeteo, p.fetch));
  todayIn(timezone); // an unknown zone from a provider is an error here, before anything is written
  return {
    location_id: id,
    name: input.name,
    city: where.city,
    country: where.country,
    latitude: where.latitude,
    longitude: where.longitude,
    timezone,
    source: input.sensor ? `${input.sensor.network}:${input.sensor.id}` : 'open-meteo',
    aliases: where.aliases,
  };
}

/** The live source of a store with these places' zones. */
export function liveSourceWith(store: FeatureStore, zones: readonly string[]): StoreSource {
  const held = readSource(store);
  const current = held?.source === 'live' ? liveZones(held) : [];
  return { source: 'live', timezones: [...new Set([...current, ...zones])].sort() };
}

export interface AddedPlace {
  place: Location;
  run: PlaceRun;
  /** The last day of its backfill. */
  today: string;
}

/** Adds a place and backfills a year of weather and air quality up to the store's today (or `today`). One atomic write. */
export async function addPlace(store: FeatureStore, place: Location, p: Providers, today?: string): Promise<AddedPlace> {
  const source = liveSourceWith(store, [place.timezone]);
  assertSourceFits(store, source);
  const end = today ?? todayIn(place.timezone); // the place's own day
  const run = await runPlace(store, place, { start: addDays(end, -(BACKFILL_DAYS - 1)), end }, source, p);
  return { place, run, today: end };
}

export interface RemovedPlace {
  place: string;
  /** Rows ended per group (history stays readable with asOf). */
  rows: Record<string, number>;
}

/** Removes a place and, unless keepData, its rows in every group keyed by location; the prediction log stays as issued. */
export async function removePlace(store: FeatureStore, id: string, options: { keepData?: boolean } = {}): Promise<RemovedPlace> {
  const all = await listLocations(store);
  const place = all.find((l) => l.location_id === id);
  if (!place) throw new NotFoundError(`no place with id "${id}"; the places are: ${all.map((l) => l.location_id).join(', ') || '(none)'}`);
  const rows: Record<string, number> = {};
  await store.transaction(async () => {
    const groups = store.listFeatureGroups().filter((g) => g.meta.schema?.some((c) => c.name === 'location_id') && g.name !== 'aq_predictions');
    for (const g of groups) {
      if (options.keepData && g.name !== 'locations') continue;
      const keys = await g
        .select([...new Set([...g.meta.primaryKey, ...(g.meta.eventTime ? [g.meta.eventTime] : [])])])
        .filter(col('location_id').eq(id))
        .read();
      const commit = keys.length > 0 ? await g.deleteRecords(keys) : null;
      rows[g.name] = commit?.rowsDeleted ?? 0;
    }
    const rest = all.filter((l) => l.location_id !== id);
    const held = readSource(store);
    if (held?.source === 'live') await recordRun(store, { source: 'live', timezones: [...new Set(rest.map((l) => l.timezone))].sort() });
  });
  return { place: id, rows };
}
