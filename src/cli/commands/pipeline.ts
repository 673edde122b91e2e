// `airq pipeline backfill|daily`: the feature pipeline, over a date range or for one day.
import { z } from 'zod';
import { findDataDir } from '../../core/data-dir.js';
import { addDays, isIsoDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { readPipelineConfig, writePipelineConfig, type PipelineConfig } from '../../airquality/pipelines/pipeline-config.js';
import { backfillBeijing, dailyBeijing, type RunResult } from '../../airquality/pipelines/beijing-pipeline.js';
import { runSynthetic } from '../../airquality/pipelines/synthetic-pipeline.js';
import { runOpenMeteo, STOCKHOLM_HORNSGATAN } from '../../airquality/pipelines/open-meteo-pipeline.js';
import { openMeteoEndpoints } from '../../airquality/sources/open-meteo.js';
import { DAY_PATTERNS, writeDayPatterns } from '../../airquality/patterns/day-patterns.js';
import { aqicnConfig } from '../../airquality/sources/aqicn-api.js';
import { FeatureStore } from '../../store/index.js';
import { noMorePositionals, option, parse, type Parsed } from '../args.js';
import { contextFrom, type CliContext } from '../context.js';

export const PIPELINE_HELP = `airq pipeline — run the feature pipeline

  airq pipeline backfill [--source live|beijing|synthetic] [--path DIR] [--start D] [--end D] [--json]
      observations of a date range (live: Open-Meteo for Stockholm Hornsgatan, default the year
      before today; beijing: everything in the files; synthetic: the three years before today)
  airq pipeline daily [--date D] [--json]
      one day as if it had just arrived (default: today, see --today), plus the weather forecast
      for the next 7 days. Live: with AQICN_API_KEY set, the day's PM2.5 comes from the aqicn
      station (AIRQ_AQICN_STATION, default Hornsgatan 108), else from the CAMS model.
      Over the Beijing data this is replay mode: the "forecast" is the weather
      that was later recorded (a perfect forecast). The synthetic city's forecasts carry an error
      that grows with lead time.

The source is remembered in the store (pipeline.json) after the first run.
Options: --store DIR (default ./.airq, env AIRQ_STORE), --today YYYY-MM-DD`;

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
export function beijingPath(p: Parsed, ctx: CliContext): string {
  const remembered = readPipelineConfig(ctx.storeDir);
  const path = typeof p.values.path === 'string' ? p.values.path : remembered?.source === 'beijing' ? remembered.path : findDataDir('beijing');
  if (!path) throw new UsageError('pass --path DIR: the folder with the UCI Beijing PRSA_Data_*.csv.gz files');
  return path;
}

/** The source of this run: --source, else what the store remembers, else beijing. */
function sourceOf(p: Parsed, ctx: CliContext): PipelineConfig {
  const named = p.values.source;
  const remembered = readPipelineConfig(ctx.storeDir);
  const source = typeof named === 'string' ? named : (remembered?.source ?? 'beijing');
  if (source === 'synthetic') return { source: 'synthetic', seed: remembered?.source === 'synthetic' ? remembered.seed : SYNTHETIC_SEED };
  if (source === 'live') return { source: 'live', location: 'stockholm-hornsgatan' };
  if (source === 'beijing') return { source: 'beijing', path: beijingPath(p, ctx) };
  throw new UsageError(`--source ${source} is not available; use live, beijing or synthetic`);
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

export async function pipelineCommand(argv: readonly string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const p = parse(rest, OPTIONS, `pipeline ${sub ?? ''}`.trim());
  const ctx = contextFrom(p);
  if (p.values.help || sub === undefined) {
    ctx.out.line(PIPELINE_HELP);
    if (sub === undefined && !p.values.help) throw new UsageError('pipeline: say which: backfill or daily');
    return;
  }
  if (sub !== 'backfill' && sub !== 'daily') throw new UsageError(`pipeline: unknown run "${sub}"; use backfill or daily`);
  noMorePositionals(p, 0, `pipeline ${sub}`);
  const config = sourceOf(p, ctx);
  const start = option(DateOption, p.values.start, 'start');
  const end = option(DateOption, p.values.end, 'end');
  const date = option(DateOption, p.values.date, 'date') ?? ctx.clock.today();
  const store = await FeatureStore.open({ dir: ctx.storeDir, clock: ctx.clock });
  try {
    const t0 = performance.now();
    const progress = ctx.progress(`pipeline ${sub}`);
    let r: RunResult;
    if (config.source === 'beijing') {
      r = sub === 'backfill' ? await backfillBeijing(store, config.path, { start, end, progress }) : await dailyBeijing(store, config.path, date, progress);
    } else if (config.source === 'live') {
      const endpoints = openMeteoEndpoints();
      const last = end ?? ctx.clock.today();
      r =
        sub === 'backfill'
          ? await runOpenMeteo(store, STOCKHOLM_HORNSGATAN, { start: start ?? addDays(last, -365), end: last, endpoints })
          : await runOpenMeteo(store, STOCKHOLM_HORNSGATAN, { start: date, end: date, forecastDays: 7, endpoints, aqicn: aqicnConfig() });
    } else {
      const last = end ?? ctx.clock.today();
      r =
        sub === 'backfill'
          ? await runSynthetic(store, { start: start ?? addDays(last, -3 * 365), end: last, seed: config.seed })
          : await runSynthetic(store, { start: date, end: date, forecastDays: 7, seed: config.seed });
    }
    writePipelineConfig(ctx.storeDir, config);
    if (sub === 'daily' && r.days === 0) ctx.log.warn(`the source has no observations for ${date}; nothing new was written for that day`);
    // Once day patterns exist (airq embed), each run keeps them fresh: the new day is searchable now.
    if (store.listFeatureGroups().some((g) => g.name === DAY_PATTERNS.name)) {
      const patterns = await writeDayPatterns(store, { since: sub === 'daily' ? date : start });
      ctx.log.info(`day_patterns: ${patterns.inserted} new, ${patterns.updated} updated`);
    }
    printRun(ctx, r, p.values.json === true, Math.round(performance.now() - t0) / 1000);
  } finally {
    await store.close();
  }
}
