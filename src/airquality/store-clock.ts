// A store's own source and clock: which dataset it holds, and what "today" is in it.
//
// Live stores follow the real date in their place's time zone. A replay (UCI Beijing) or synthetic
// store stands at the day its last pipeline run brought it to, kept in the store as a property that
// commits with the run's data, so a reader never sees a "today" whose data is not there yet.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { isIsoDate, isoDateToEpochDays } from '../core/dates.js';
import { ConfigError, ConflictError, UsageError } from '../core/errors.js';
import type { FeatureStore } from '../store/index.js';

const IsoDateSchema = z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD');

export const SourceSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('beijing'), path: z.string().min(1) }).strict(),
  z.object({ source: z.literal('synthetic'), seed: z.number().int() }).strict(),
  // Live stores hold any number of places; `timezones` are theirs. Stores of one place wrote location and timezone.
  z
    .object({
      source: z.literal('live'),
      timezones: z.array(z.string().min(1)).optional(),
      location: z.string().min(1).optional(),
      timezone: z.string().min(1).optional(),
    })
    .strict(),
]);
export type StoreSource = z.output<typeof SourceSchema>;

export const SOURCE_PROPERTY = 'airq.source';
export const TODAY_PROPERTY = 'airq.today';
/** Where stores made before properties kept their source. */
const LEGACY_FILE = 'pipeline.json';

/** The store's source: its property, else the pipeline.json of an older store, else undefined (nothing imported by a pipeline yet). */
export function readSource(store: FeatureStore): StoreSource | undefined {
  const value = store.getProperty(SOURCE_PROPERTY);
  const legacy = join(store.dir, LEGACY_FILE);
  const raw = value ?? (existsSync(legacy) ? parseJson(legacy) : undefined);
  if (raw === undefined) return undefined;
  const parsed = SourceSchema.safeParse(raw);
  if (!parsed.success)
    throw new ConfigError(`the store's source (${value === undefined ? legacy : SOURCE_PROPERTY}) is damaged; rebuild the store with \`airq demo\``);
  return parsed.data;
}

function parseJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { damaged: true };
  }
}

/** The real date in a time zone, YYYY-MM-DD. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    throw new ConfigError(`unknown time zone "${timeZone}"; use an IANA name such as Europe/Stockholm`);
  }
}

/** The time zones of a live store's places (older one-place stores: its one zone). */
export function liveZones(source: Extract<StoreSource, { source: 'live' }>): string[] {
  return source.timezones ?? [source.timezone ?? 'Europe/Stockholm'];
}

/**
 * The store's "today": for a replay or synthetic store the day its last run brought it to; for a live
 * store the real date where it is latest among its places' time zones (each place's own day is
 * `placeToday`), UTC for a store no pipeline has written.
 */
export function storeToday(store: FeatureStore, now: Date = new Date()): string {
  const source = readSource(store);
  if (source && source.source !== 'live') {
    const today = store.getProperty(TODAY_PROPERTY);
    if (today !== undefined) {
      const parsed = IsoDateSchema.safeParse(today);
      if (!parsed.success) throw new ConfigError(`the store's clock (${TODAY_PROPERTY}) is damaged; run the daily pipeline with --date to set it`);
      return parsed.data;
    }
  }
  const zones = source?.source === 'live' ? liveZones(source) : [];
  if (zones.length === 0) return todayIn('UTC', now);
  return zones.map((z) => todayIn(z, now)).reduce((a, b) => (a > b ? a : b));
}

/**
 * A place's own "today" within a store whose today is `today`: its local date when that is earlier
 * (a live place west of the store's latest zone), else `today` (a replay, or --today in the past).
 */
export function placeToday(timezone: string, today: string, now: Date = new Date()): string {
  let local: string;
  try {
    local = todayIn(timezone, now);
  } catch {
    return today;
  }
  return local < today ? local : today;
}

/** The day `airq run` brings a store to: --today, else the real date for the synthetic city (it follows it), else the store's today. */
export function runDay(store: FeatureStore, source: StoreSource, override?: string): string {
  if (override !== undefined) return override;
  return source.source === 'synthetic' ? todayIn('UTC') : storeToday(store);
}

/** "--today, else the store's own clock": what every command means by today. */
export function todayOf(store: FeatureStore, override?: string): string {
  return override ?? storeToday(store);
}

/** How far past the newest observation a writing command may stand: further, its lags would all be missing. */
export const MAX_DAYS_PAST_DATA = 366;

/**
 * A `--today` a writing command (forecast, train, run) may take: from the day after the first observation (a
 * forecast needs a day of data before it) to a year after the last. Outside, it would write rows made of nothing.
 */
export async function checkTodayForWriting(store: FeatureStore, today: string): Promise<void> {
  const fg = store
    .listFeatureGroups()
    .filter((g) => g.name === 'air_quality')
    .at(-1);
  if (!fg) return;
  const dates = (await fg.select(['date']).read()).map((r) => String(r.date)).sort();
  const [first, last] = [dates[0], dates.at(-1)];
  if (first === undefined || last === undefined) return;
  const day = isoDateToEpochDays(today);
  if (day > isoDateToEpochDays(first) && day - isoDateToEpochDays(last) <= MAX_DAYS_PAST_DATA) return;
  throw new UsageError(
    `--today ${today} is outside this store's data (observations from ${first} to ${last}): a writing command takes a day after ${first} ` +
      `and at most ${MAX_DAYS_PAST_DATA} days after ${last}; leave --today out to use the store's own today`,
  );
}

/** What a store holds, in words (status lines, pages, errors). */
export const SOURCE_WORDS: Record<StoreSource['source'], string> = {
  live: 'live data',
  beijing: 'the UCI Beijing archive, replayed',
  synthetic: 'the synthetic city, a simulation',
};

const describe = (s: StoreSource) =>
  s.source === 'synthetic' ? `the synthetic city (seed ${s.seed})` : s.source === 'beijing' ? 'the UCI Beijing data' : SOURCE_WORDS.live;

/** Refuses to mix datasets: a store holds one source (live stores may hold many places). */
export function assertSourceFits(store: FeatureStore, next: StoreSource): void {
  const held = readSource(store);
  if (!held) return;
  if (held.source === next.source && (held.source !== 'synthetic' || held.seed === (next as { seed: number }).seed)) return;
  throw new ConflictError(
    `the store ${store.dir} holds ${describe(held)}; it cannot also take ${describe(next)}. ` +
      `Use another store for it (--store DIR or AIRQ_STORE, e.g. --store ${resolve(store.dir)}-${next.source}), or delete ${store.dir} to start afresh`,
    { held: held.source, requested: next.source },
  );
}

/**
 * Records a pipeline run in the store (inside its transaction): the source, and for replay and
 * synthetic stores the day it brought the store to (it never moves back).
 */
export async function recordRun(store: FeatureStore, source: StoreSource, broughtTo?: string): Promise<void> {
  assertSourceFits(store, source);
  await store.setProperty(SOURCE_PROPERTY, source.source === 'beijing' ? { ...source, path: resolve(source.path) } : source);
  if (source.source === 'live' || broughtTo === undefined) return;
  const current = store.getProperty(TODAY_PROPERTY);
  if (typeof current !== 'string' || !isIsoDate(current) || current < broughtTo) await store.setProperty(TODAY_PROPERTY, broughtTo);
}
