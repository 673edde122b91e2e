// `airq demo`: builds a ready store end to end, as it would have been at the end of day D.
import { z } from 'zod';
import { addDays, isIsoDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { writePipelineConfig } from '../../airquality/pipelines/pipeline-config.js';
import { runBeijing } from '../../airquality/pipelines/beijing-pipeline.js';
import { FeatureStore } from '../../store/index.js';
import { parse } from '../args.js';
import { contextFrom } from '../context.js';
import { beijingPath, printRun } from './pipeline.js';

export const DEMO_HELP = `airq demo [--source beijing] [--path DIR] [--today YYYY-MM-DD] [--json]

Builds a ready store in --store DIR as it would have been at the end of day D (--today):
locations, daily air quality, weather and lag features up to D, and the weather forecast for
D+1..D+7. With --source beijing (the UCI data; --path, default ../shared/data/beijing) the
forecast is the weather that was later recorded (replay: a perfect forecast), and D defaults to
2017-02-21, a week before the data ends. The live (Open-Meteo) and synthetic sources, training,
forecasts and embeddings join this command as they are built.`;

/** The last day of the UCI data is 2017-02-28; a week before leaves room for a 7-day forecast. */
const BEIJING_DEFAULT_TODAY = '2017-02-21';
const BEIJING_FIRST = '2013-03-01';
const BEIJING_LAST = '2017-02-28';

export async function demoCommand(argv: readonly string[]): Promise<void> {
  const p = parse(argv, { json: { type: 'boolean' }, source: { type: 'string' }, path: { type: 'string' } }, 'demo');
  const ctx = contextFrom(p);
  if (p.values.help) return ctx.out.line(DEMO_HELP);
  const source = p.values.source ?? 'beijing';
  if (source !== 'beijing') {
    throw new UsageError(`demo: --source ${String(source)} is not built yet; use --source beijing (the UCI Beijing data)`);
  }
  const path = beijingPath(p, ctx);
  const explicit = typeof p.values.today === 'string' || process.env.AIRQ_TODAY !== undefined;
  const today = explicit ? z.string().refine(isIsoDate).parse(ctx.clock.today()) : BEIJING_DEFAULT_TODAY;
  if (today < BEIJING_FIRST || today > BEIJING_LAST) {
    throw new UsageError(`demo: --today ${today} is outside the Beijing data (${BEIJING_FIRST} to ${BEIJING_LAST})`);
  }
  ctx.log.info(`building a demo store in ${ctx.storeDir} as of the end of ${today} from ${path}`);
  const store = await FeatureStore.open({ dir: ctx.storeDir, clock: ctx.clock });
  try {
    const t0 = performance.now();
    const forecastDays = Math.min(7, Math.round((Date.parse(BEIJING_LAST) - Date.parse(today)) / 86_400_000));
    const r = await runBeijing(store, path, { end: today, forecastDays, progress: (m) => ctx.log.info(m) });
    writePipelineConfig(ctx.storeDir, { source: 'beijing', path });
    printRun(ctx, r, p.values.json === true, Math.round(performance.now() - t0) / 1000);
    if (!p.values.json) {
      ctx.out.line(`today is ${today}; next: \`airq pipeline daily --date ${addDays(today, 1)} --store ${ctx.storeDir}\`, \`airq fg list --store ${ctx.storeDir}\``);
    }
  } finally {
    await store.close();
  }
}
