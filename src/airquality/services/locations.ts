// Finding a location from what people type: an id, a name or an alias, with the closest names when nothing matches.
import { NotFoundError } from '../../core/errors.js';
import type { FeatureStore, Row } from '../../store/index.js';
import type { Location } from '../locations.js';
import { AnswerCache } from './answer-cache.js';

export interface LocationInfo {
  location_id: string;
  name: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  timezone: string;
  source: string;
  aliases: string[];
}

const norm = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

function info(r: Row): LocationInfo {
  return {
    location_id: r.location_id as string,
    name: r.name as string,
    city: r.city as string,
    country: r.country as string,
    latitude: r.latitude as number,
    longitude: r.longitude as number,
    timezone: r.timezone as string,
    source: r.source as string,
    aliases: String(r.aliases ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
  };
}

/** The record a pipeline writes back (aliases as one comma-separated string). */
export function toLocation(l: LocationInfo): Location {
  return { ...l, aliases: l.aliases.join(',') };
}

// Every tool call resolves a location: keep the list until the locations group commits again.
const cache = new AnswerCache<LocationInfo[]>(['locations']);

export function listLocations(store: FeatureStore): Promise<LocationInfo[]> {
  return cache.get(store, 'all', async () => {
    const rows = await store.getFeatureGroup('locations').read();
    return rows.map(info).sort((a, b) => a.location_id.localeCompare(b.location_id));
  });
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]!;
}

/**
 * The location an id, name or alias means (case, accents and punctuation ignored; "Dongsi" finds
 * beijing-dongsi, "Hornsgatan" finds stockholm-hornsgatan). Unknown text is a NotFoundError that
 * names the closest locations and says to call list_locations.
 */
export async function resolveLocation(store: FeatureStore, text: string): Promise<LocationInfo> {
  const all = await listLocations(store);
  const q = norm(text);
  const names = (l: LocationInfo) => [l.location_id, l.name, `${l.city} ${l.name}`, ...l.aliases].map(norm);
  const exact = all.find((l) => names(l).includes(q));
  if (exact) return exact;
  const partial = all.filter((l) => names(l).some((n) => n.split(' ').includes(q) || (q.length >= 4 && n.includes(q))));
  if (partial.length === 1) return partial[0]!;
  const ranked = all.map((l) => ({ l, d: Math.min(...names(l).map((n) => distance(q, n))) })).sort((a, b) => a.d - b.d);
  const closest = (partial.length > 1 ? partial : ranked.slice(0, 3).map((r) => r.l)).map((l) => `${l.location_id} (${l.name})`);
  throw new NotFoundError(`${partial.length > 1 ? `"${text}" matches several locations` : `no location matches "${text}"`}; closest: ${closest.join(', ')}`, {
    closest,
    recover: 'list_locations',
  });
}
