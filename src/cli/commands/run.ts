// `airq run`: brings the store up to date for every place (see airquality/pipelines/update-store.ts) and says what it did.
import { join } from 'node:path';
import { updateStore, type UpdateResult } from '../../airquality/pipelines/update-store.js';
import type { Providers } from '../../airquality/pipelines/place-pipeline.js';
import { providerConfig } from '../../core/config.js';
import { UnavailableError } from '../../core/errors.js';
import { noMorePositionals, option, parse } from '../args.js';
import { contextFrom, lazyEmbedder, withWriter, type CliContext } from '../context.js';
import { checkTodayForWriting } from '../../airquality/store-clock.js';
import { io } from '../io.js';
import { z } from 'zod';

const Trigger = z.enum(['cli', 'schedule', 'start']);

/** The providers as configured, with the run's network patience. */
export function providersFor(ctx: CliContext): Providers {
  return { config: providerConfig(io().env), fetch: { retries: 2, timeoutMs: 20_000 }, warn: (m) => ctx.log.warn(m) };
}

export function printUpdate(ctx: CliContext, r: UpdateResult): void {
  if (r.up_to_date) {
    ctx.out.line(`the store is up to date for ${r.today}: nothing new was written (${r.places.length} place(s) checked)`);
    return;
  }
  ctx.out.line(`brought the store to ${r.today}:`);
  const width = Math.max(...r.places.map((p) => p.id.length), 5);
  for (const p of r.places) {
    const what =
      p.status === 'failed'
        ? `FAILED: ${p.error} (the next run retries it)`
        : p.status === 'up-to-date'
          ? 'up to date'
          : `${p.days} day(s) of observations${p.from ? ` (${p.from}..${p.to})` : ''} and the 7-day weather forecast`;
    ctx.out.line(`  ${p.id.padEnd(width)}  ${what}`);
  }
  if (r.retrain)
    ctx.out.line(`retrained pm25_forecaster${r.retrain.reused ? ` (v${r.retrain.version} again: same data)` : ` v${r.retrain.version}`}: ${r.retrain.reason}`);
  if (r.forecast) ctx.out.line(`forecast: ${r.forecast.predictions_written} new predictions by ${r.forecast.model} v${r.forecast.version}`);
  ctx.out.line(`day patterns: ${r.day_patterns.inserted} new, ${r.day_patterns.updated} updated; knowledge base: ${r.documents.embedded} chunk(s) embedded`);
  for (const f of r.failed.filter((f) => f.startsWith('forecast:'))) ctx.out.line(`FAILED ${f}`);
  ctx.out.line(`done in ${r.seconds} s`);
}

export async function runCommand(argv: readonly string[]): Promise<void> {
  const p = parse(argv, { json: { type: 'boolean' }, trigger: { type: 'string' } }, 'run');
  const ctx = contextFrom(p);
  noMorePositionals(p, 0, 'run');
  const trigger = option(Trigger, p.values.trigger ?? 'cli', 'trigger');
  const r = await withWriter(ctx, { create: false }, async (store) => {
    if (ctx.todayOverride !== undefined) await checkTodayForWriting(store, ctx.todayOverride);
    return updateStore(store, {
      today: ctx.todayOverride,
      providers: providersFor(ctx),
      embedder: lazyEmbedder(ctx),
      chartsDir: join(ctx.storeDir, 'charts'),
      trigger,
    });
  });
  if (p.values.json) ctx.out.json(r);
  else printUpdate(ctx, r);
  // One place's source failing does not stop the others, but the run is not a success (exit 1).
  if (r.failed.length > 0)
    throw new UnavailableError(`${r.failed.length} part(s) of the run failed: ${r.failed.map((f) => f.split(':')[0]).join(', ')}; the next run retries them`);
}
