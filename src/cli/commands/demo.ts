// `airq demo`: builds a ready store end to end, as it would have been at the end of day D.
import { addDays } from '../../core/dates.js';
import { UnavailableError, UsageError } from '../../core/errors.js';
import { writePipelineConfig } from '../../airquality/pipelines/pipeline-config.js';
import { runBeijing, type RunResult } from '../../airquality/pipelines/beijing-pipeline.js';
import { runSynthetic } from '../../airquality/pipelines/synthetic-pipeline.js';
import { runOpenMeteo, STOCKHOLM_HORNSGATAN } from '../../airquality/pipelines/open-meteo-pipeline.js';
import { openMeteoEndpoints } from '../../airquality/sources/open-meteo.js';
import { forecastAll } from '../../airquality/forecast/forecast.js';
import { trainForecaster } from '../../airquality/forecast/train.js';
import { writeDayPatterns } from '../../airquality/patterns/day-patterns.js';
import { pm25StateView } from '../../airquality/serving-views.js';
import { embedDocuments } from '../../airquality/knowledge/documents.js';
import { selectEmbedder } from '../../embed/index.js';
import { FeatureStore } from '../../store/index.js';
import { join } from 'node:path';
import { parse } from '../args.js';
import { contextFrom, type CliContext } from '../context.js';
import { beijingPath, printRun, SYNTHETIC_SEED } from './pipeline.js';

export const DEMO_HELP = `airq demo [--source live|synthetic|beijing] [--path DIR] [--today YYYY-MM-DD] [--json]

Builds a ready store in --store DIR as it would have been at the end of day D (--today):
locations, daily air quality, weather and lag features up to D, and the weather forecast for
D+1..D+7, the PM2.5 forecaster trained on data up to D (airq train), and its forecasts
for D+1..D+7 with charts (airq forecast).
  live       (the default without --path) Open-Meteo for Stockholm, Hornsgatan 108: a year of
             weather and CAMS-model air quality and the 7-day weather forecast; when the network
             cannot be reached the demo says so in one line and uses the synthetic city
  synthetic  a seeded, simulated city (every row labelled synthetic); D defaults to today
  beijing    the UCI Beijing data (--path implies it; default ../shared/data/beijing); the forecast is the
             weather later recorded (replay: a perfect forecast); D defaults to 2017-02-21
Also embeds the knowledge base and the day patterns (airq embed).`;

/** The last day of the UCI data is 2017-02-28; a week before leaves room for a 7-day forecast. */
const BEIJING_DEFAULT_TODAY = '2017-02-21';
const BEIJING_FIRST = '2013-03-01';
const BEIJING_LAST = '2017-02-28';

async function beijingDemo(ctx: CliContext, store: FeatureStore, path: string, explicitToday: boolean): Promise<{ r: RunResult; today: string }> {
  const today = explicitToday ? ctx.clock.today() : BEIJING_DEFAULT_TODAY;
  if (today < BEIJING_FIRST || today > BEIJING_LAST) {
    throw new UsageError(`demo: --today ${today} is outside the Beijing data (${BEIJING_FIRST} to ${BEIJING_LAST})`);
  }
  const forecastDays = Math.min(7, Math.round((Date.parse(BEIJING_LAST) - Date.parse(today)) / 86_400_000));
  const r = await runBeijing(store, path, { end: today, forecastDays, progress: ctx.progress('demo') });
  writePipelineConfig(ctx.storeDir, { source: 'beijing', path });
  return { r, today };
}

async function liveDemo(ctx: CliContext, store: FeatureStore): Promise<{ r: RunResult; today: string }> {
  const today = ctx.clock.today();
  const r = await runOpenMeteo(store, STOCKHOLM_HORNSGATAN, {
    start: addDays(today, -365),
    end: today,
    forecastDays: 7,
    endpoints: openMeteoEndpoints(),
    fetch: { retries: 1, timeoutMs: 8000 },
  });
  writePipelineConfig(ctx.storeDir, { source: 'live', location: 'stockholm-hornsgatan' });
  return { r, today };
}

async function syntheticDemo(ctx: CliContext, store: FeatureStore): Promise<{ r: RunResult; today: string }> {
  const today = ctx.clock.today();
  const r = await runSynthetic(store, { end: today, forecastDays: 7, seed: SYNTHETIC_SEED });
  writePipelineConfig(ctx.storeDir, { source: 'synthetic', seed: SYNTHETIC_SEED });
  return { r, today };
}

export async function demoCommand(argv: readonly string[]): Promise<void> {
  const p = parse(argv, { json: { type: 'boolean' }, source: { type: 'string' }, path: { type: 'string' } }, 'demo');
  const ctx = contextFrom(p);
  if (p.values.help) return ctx.out.line(DEMO_HELP);
  // A --path of UCI files means the Beijing source; otherwise the default is live.
  const source = typeof p.values.source === 'string' ? p.values.source : typeof p.values.path === 'string' ? 'beijing' : 'live';
  if (!['live', 'synthetic', 'beijing'].includes(source)) throw new UsageError(`demo: unknown --source ${source}; use live, synthetic or beijing`);
  const path = source === 'beijing' ? beijingPath(p, ctx) : undefined;
  const explicitToday = typeof p.values.today === 'string' || process.env.AIRQ_TODAY !== undefined;
  const store = await FeatureStore.open({ dir: ctx.storeDir, clock: ctx.clock });
  try {
    const t0 = performance.now();
    ctx.log.info(`building a demo store in ${ctx.storeDir} from the ${source} source`);
    let built: { r: RunResult; today: string } | undefined;
    if (source === 'live') {
      try {
        built = await liveDemo(ctx, store);
      } catch (e) {
        if (!(e instanceof UnavailableError)) throw e;
        ctx.log.warn(`the live source is unreachable (${e.message}); using the synthetic city instead`);
      }
    }
    const { r, today } = built ?? (path ? await beijingDemo(ctx, store, path, explicitToday) : await syntheticDemo(ctx, store));
    const ingestSeconds = Math.round(performance.now() - t0) / 1000;
    ctx.log.info(`training the forecaster on data up to ${today}`);
    const trained = await trainForecaster(store, today);
    const forecast = await forecastAll(store, today, { chartsDir: join(ctx.storeDir, 'charts') });
    await pm25StateView(store);
    const patterns = await writeDayPatterns(store);
    const text = await selectEmbedder(ctx.storeDir);
    const docs = await embedDocuments(store, text.embedder);
    const seconds = Math.round(performance.now() - t0) / 1000;
    const model = {
      name: trained.model.name,
      version: trained.model.version,
      validation_rmse: trained.model.metrics.validation_rmse,
      horizons: trained.horizons,
    };
    const charts = forecast.locations.flatMap((l) => l.charts);
    if (p.values.json)
      ctx.out.json({
        ...r,
        seconds,
        model,
        forecast: { issue_date: today, locations: forecast.locations.length, predictions_written: forecast.predictions_written, charts },
        day_patterns: patterns.days,
        documents: { chunks: docs.chunks, embedder: docs.embedder },
      });
    else {
      printRun(ctx, r, false, ingestSeconds);
      const h1 = trained.horizons[0];
      ctx.out.line(
        `model ${model.name} v${model.version}: ${h1 ? `1-day RMSE ${h1.rmse.toFixed(1)} µg/m³ on ${trained.split.testStart}..${trained.split.testEnd} (persistence ${h1.rmse_persistence.toFixed(1)})` : 'trained'}`,
      );
      ctx.out.line(
        `forecasts for ${addDays(today, 1)}..${addDays(today, 7)}: ${forecast.predictions_written} predictions for ${forecast.locations.length} location(s); charts in ${join(ctx.storeDir, 'charts')}`,
      );
      ctx.out.line(`day patterns (numeric day-pattern-v1 vectors) for ${patterns.days} location-days: similar days and analog forecasts`);
      ctx.out.line(`knowledge base: ${docs.documents} documents in ${docs.chunks} chunks, embedded with ${text.description}`);
      ctx.out.line(`done in ${seconds} s`);
      ctx.out.line(
        `today is ${today}; next: \`airq pipeline daily --date ${addDays(today, 1)} --today ${addDays(today, 1)} --store ${ctx.storeDir}\`, \`airq fg list --store ${ctx.storeDir}\``,
      );
    }
  } finally {
    await store.close();
  }
}
