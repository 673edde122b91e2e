// Argument completion for prompts and resource templates: what a client shows while someone types a location, a group or a date.
import { addDays } from '../core/dates.js';
import { listLocations } from '../airquality/services/locations.js';
import type { FeatureStore } from '../store/index.js';

/** The protocol caps a completion at 100 values. */
const MAX_VALUES = 100;

const fold = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/** Values starting with what was typed first, then values containing it; case- and accent-insensitive. */
export function completeFrom(values: Iterable<string>, typed: string): string[] {
  const t = fold(typed.trim());
  const unique = [...new Set(values)];
  const starts = unique.filter((v) => fold(v).startsWith(t));
  const contains = unique.filter((v) => !fold(v).startsWith(t) && fold(v).includes(t));
  return [...starts, ...contains].slice(0, MAX_VALUES);
}

/** Location ids, names and aliases: every spelling the tools accept. */
export async function completeLocation(store: FeatureStore, typed: string): Promise<string[]> {
  const all = await listLocations(store);
  return completeFrom(
    all.flatMap((l) => [l.location_id, l.name, ...l.aliases]),
    typed,
  );
}

/** A comma-separated list of locations: completes the last entry and keeps the ones before it. */
export async function completeLocationList(store: FeatureStore, typed: string): Promise<string[]> {
  const cut = typed.lastIndexOf(',');
  const head = cut < 0 ? '' : `${typed.slice(0, cut + 1).trimEnd()} `;
  const last = cut < 0 ? typed : typed.slice(cut + 1);
  return (await completeLocation(store, last)).map((v) => head + v);
}

/** Today and the 7 forecast days after it. */
export function completeForecastDate(today: string, typed: string): string[] {
  return completeFrom(
    Array.from({ length: 8 }, (_, i) => addDays(today, i)),
    typed,
  );
}
