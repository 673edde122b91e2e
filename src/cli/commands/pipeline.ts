// `airq pipeline backfill|daily`: the feature pipeline, over a date range or for one day (replay mode for Beijing).
import { z } from 'zod';
import { findDataDir } from '../../core/data-dir.js';
import { isIsoDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { readPipelineConfig, writePipelineConfig } from '../../airquality/pipelines/pipeline-config.js';
import { backfillBeijing, dailyBeijing, type RunResult } from '../../airquality/pipelines/beijing-pipeline.js';
import { FeatureStore } from '../../store/index.js';
import { noMorePositionals, option, parse, type Parsed } from '../args.js';
import { contextFrom, type CliContext } from '../context.js';

export const PIPELINE_HELP = `airq pipeline — run the feature pipeline

  airq pipeline backfill [--source beijing] [--path DIR] [--start D] [--end D] [--json]
      observations of a date range (default: everything in the source)
  airq pipeline daily [--date D] [--path DIR] [--json]
      one day as if it had just arrived (default: today, see --today), plus the weather forecast
      for the next 7 days. Over the Beijing data this is replay mode: the "forecast" is the
      weather that was later recorded (a perfect forecast).

The source folder is remembered in the store (pipeline.json) after the first run.
Options: --store DIR (default ./.airq, env AIRQ_STORE), --today YYYY-MM-DD`;

const DateOption = z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD').optional();
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
  if (p.values.source !== undefined && p.values.source !== 'beijing') {
    throw new UsageError(`--source ${String(p.values.source)} is not available yet; the pipeline reads --source beijing`);
  }
  const path = typeof p.values.path === 'string' ? p.values.path : (readPipelineConfig(ctx.storeDir)?.path ?? findDataDir('beijing'));
  if (!path) throw new UsageError('pass --path DIR: the folder with the UCI Beijing PRSA_Data_*.csv.gz files');
  return path;
}

export function printRun(ctx: CliContext, r: RunResult, json: boolean, seconds: number): void {
  if (json) return ctx.out.json({ ...r, seconds });
  ctx.out.line(`${r.days} station-days of ${r.stations.length} stations${r.forecastDays ? ` + ${r.forecastDays}-day replayed (perfect) forecasts` : ''} in ${seconds} s`);
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
  const path = beijingPath(p, ctx);
  const start = option(DateOption, p.values.start, 'start');
  const end = option(DateOption, p.values.end, 'end');
  const date = option(DateOption, p.values.date, 'date') ?? ctx.clock.today();
  const store = await FeatureStore.open({ dir: ctx.storeDir, clock: ctx.clock });
  try {
    const t0 = performance.now();
    const log = (m: string) => ctx.log.info(m);
    const r = sub === 'backfill' ? await backfillBeijing(store, path, { start, end, progress: log }) : await dailyBeijing(store, path, date, log);
    writePipelineConfig(ctx.storeDir, { source: 'beijing', path });
    if (sub === 'daily' && r.days === 0) ctx.log.warn(`the source has no observations for ${date}; nothing new was written for that day`);
    printRun(ctx, r, p.values.json === true, Math.round(performance.now() - t0) / 1000);
  } finally {
    await store.close();
  }
}
