// `airq pipeline backfill|daily`: the feature pipeline, over a date range or for one day.
import { z } from 'zod';
import { findDataDir } from '../../core/data-dir.js';
import { addDays, isIsoDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { backfillBeijing, dailyBeijing, type RunResult } from '../../airquality/pipelines/beijing-pipeline.js';
import { runSynthetic } from '../../airquality/pipelines/synthetic-pipeline.js';
import { runPlace, type PlaceRun } from '../../airquality/pipelines/place-pipeline.js';
import { STOCKHOLM_HORNSGATAN } from '../../airquality/locations.js';
import { liveSourceWith } from '../../airquality/places/places.js';
import { listLocations, toLocation } from '../../airquality/services/locations.js';
import type { Location } from '../../airquality/locations.js';
import { providersFor } from './run.js';
import { DAY_PATTERNS, writeDayPatterns } from '../../airquality/patterns/day-patterns.js';
import { readSource, storeToday, type StoreSource } from '../../airquality/store-clock.js';
import type { FeatureStore } from '../../store/index.js';
import { noMorePositionals, option, parse, type Parsed } from '../args.js';
import { contextFrom, withWriter, type CliContext } from '../context.js';

const DateOption = z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD').optional();
export const SYNTHETIC_SEED = 1;
const OPTIONS = {
  json: { type: 'boolean' },
  source: { type: 'string' },
  path: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  date: { type: 'string' },
} as const;

/** The Beijing folder: --path, else the one the store remembers, else the shared data. */
export function beijingPath(p: Parsed, held: StoreSource | undefined): string {
  const path = typeof p.values.path === 'string' ? p.values.path : held?.source === 'beijing' ? held.path : findDataDir('beijing');
  if (!path) throw new UsageError('pass --path DIR: the folder with the UCI Beijing PRSA_Data_*.csv.gz files');
  return path;
}

/** The source of this run: --source, else what the store holds, else beijing. */
function sourceOf(p: Parsed, store: FeatureStore): StoreSource {
  const held = readSource(store);
  const source = typeof p.values.source === 'string' ? p.values.source : (held?.source ?? 'beijing');
  if (source === 'synthetic') return { source: 'synthetic', seed: held?.source === 'synthetic' ? held.seed : SYNTHETIC_SEED };
  if (source === 'live') return liveSourceWith(store, [STOCKHOLM_HORNSGATAN.timezone]);
  if (source === 'beijing') return { source: 'beijing', path: beijingPath(p, held) };
  throw new UsageError(`--source ${source} is not available; use live, beijing or synthetic`);
}

/** The day a daily run takes: --date, else --today, else the store's next day (a replay's or synthetic store's day after its today; a live store's today). */
function dailyDate(ctx: CliContext, store: FeatureStore, source: StoreSource, date: string | undefined): string {
  const given = date ?? ctx.todayOverride;
  if (given !== undefined) return given;
  const today = storeToday(store);
  return source.source === 'live' ? today : addDays(today, 1);
}

export function printRun(ctx: CliContext, r: RunResult, json: boolean, seconds: number): void {
  if (json) return ctx.out.json({ ...r, seconds });
  ctx.out.line(
    `${r.days} location-days of ${r.stations.length} location(s)${r.forecastDays ? ` + ${r.forecastDays}-day weather forecasts` : ''} in ${seconds} s`,
  );
  for (const [group, c] of Object.entries(r.commits)) {
    ctx.out.line(`  ${group.padEnd(17)} ${c ? `commit ${c.commitId}: ${c.inserted} new, ${c.updated} updated` : 'no changes'}`);
  }
}

async function run(
  sub: 'backfill' | 'daily',
  config: StoreSource,
  store: FeatureStore,
  o: { start?: string; end?: string; date: string; today: string; ctx: CliContext },
) {
  const progress = o.ctx.progress(`pipeline ${sub}`);
  if (config.source === 'beijing') {
    return sub === 'backfill'
      ? backfillBeijing(store, config.path, { start: o.start, end: o.end, progress })
      : dailyBeijing(store, config.path, o.date, progress);
  }
  const last = o.end ?? o.today;
  if (config.source === 'live') return runLive(sub, store, { start: o.start ?? addDays(last, -365), end: last, date: o.date, ctx: o.ctx });
  return sub === 'backfill'
    ? runSynthetic(store, { start: o.start ?? addDays(last, -3 * 365), end: last, seed: config.seed })
    : runSynthetic(store, { start: o.date, end: o.date, forecastDays: 7, seed: config.seed });
}

/** Every place of a live store (Stockholm, Hornsgatan 108 in a new one), each in its own atomic write. */
async function runLive(sub: 'backfill' | 'daily', store: FeatureStore, o: { start: string; end: string; date: string; ctx: CliContext }) {
  const held = store.listFeatureGroups().some((g) => g.name === 'locations') ? await listLocations(store) : [];
  const places: Location[] = held.length > 0 ? held.map(toLocation) : [STOCKHOLM_HORNSGATAN];
  const source = liveSourceWith(
    store,
    places.map((p) => p.timezone),
  );
  const range = sub === 'backfill' ? { start: o.start, end: o.end } : { start: o.date, end: o.date };
  const runs: PlaceRun[] = [];
  for (const place of places) runs.push(await runPlace(store, place, range, source, providersFor(o.ctx)));
  const commits = Object.fromEntries(Object.keys(runs[0]!.commits).map((g) => [g, runs.map((r) => r.commits[g]).find((c) => c) ?? null]));
  return { stations: places.map((p) => p.location_id), hourlyRows: 0, days: runs.reduce((n, r) => n + r.days, 0), forecastDays: 7, commits };
}

export async function pipelineCommand(argv: readonly string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const p = parse(rest, OPTIONS, `pipeline ${sub ?? ''}`.trim());
  const ctx = contextFrom(p);
  if (sub === undefined) throw new UsageError('pipeline: say which: backfill or daily (see `airq pipeline --help`)');
  if (sub !== 'backfill' && sub !== 'daily') throw new UsageError(`pipeline: unknown run "${sub}"; use backfill or daily`);
  noMorePositionals(p, 0, `pipeline ${sub}`);
  const start = option(DateOption, p.values.start, 'start');
  const end = option(DateOption, p.values.end, 'end');
  const dateOption = option(DateOption, p.values.date, 'date');
  await withWriter(ctx, { create: true }, async (store) => {
    const t0 = performance.now();
    const config = sourceOf(p, store);
    const date = dailyDate(ctx, store, config, dateOption);
    const r = await run(sub, config, store, { start, end, date, today: ctx.todayOverride ?? storeToday(store), ctx });
    if (sub === 'daily' && r.days === 0) ctx.log.warn(`the source has no observations for ${date}; nothing new was written for that day`);
    // Once day patterns exist (airq embed), each run keeps them fresh: the new day is searchable now.
    if (store.listFeatureGroups().some((g) => g.name === DAY_PATTERNS.name)) {
      const patterns = await writeDayPatterns(store, { since: sub === 'daily' ? date : start });
      ctx.log.info(`day_patterns: ${patterns.inserted} new, ${patterns.updated} updated`);
    }
    printRun(ctx, r, p.values.json === true, Math.round(performance.now() - t0) / 1000);
    if (sub === 'daily' && !p.values.json) ctx.out.line(`the store's today is ${ctx.todayOverride ?? storeToday(store)}`);
  });
}
