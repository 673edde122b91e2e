// `airq demo`: builds a ready store end to end, as it would have been at the end of day D.
import { addDays } from '../../core/dates.js';
import { UnavailableError, UsageError } from '../../core/errors.js';
import { runBeijing, type RunResult } from '../../airquality/pipelines/beijing-pipeline.js';
import { BEIJING_FIRST, BEIJING_LAST } from '../../airquality/sources/beijing.js';
import { runSynthetic } from '../../airquality/pipelines/synthetic-pipeline.js';
import { STOCKHOLM_HORNSGATAN } from '../../airquality/locations.js';
import { addPlace } from '../../airquality/places/places.js';
import { providersFor } from './run.js';
import { makeReady } from '../../airquality/ready-store.js';
import { selectEmbedder } from '../../embed/index.js';
import { readSource, todayIn } from '../../airquality/store-clock.js';
import type { FeatureStore } from '../../store/index.js';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../core/config.js';
import { listLocations } from '../../airquality/services/locations.js';
import { parse } from '../args.js';
import { contextFrom, withWriter, type CliContext } from '../context.js';
import { beijingPath, printRun, SYNTHETIC_SEED } from './pipeline.js';

/** The last day of the UCI data is 2017-02-28; a week before leaves room for a 7-day forecast. */
const BEIJING_DEFAULT_TODAY = '2017-02-21';

async function beijingDemo(ctx: CliContext, store: FeatureStore, path: string): Promise<{ r: RunResult; today: string }> {
  const today = ctx.todayOverride ?? BEIJING_DEFAULT_TODAY;
  if (today < BEIJING_FIRST || today > BEIJING_LAST) {
    throw new UsageError(`demo: --today ${today} is outside the Beijing data (${BEIJING_FIRST} to ${BEIJING_LAST})`);
  }
  const forecastDays = Math.min(7, Math.round((Date.parse(BEIJING_LAST) - Date.parse(today)) / 86_400_000));
  const r = await runBeijing(store, path, { end: today, forecastDays, progress: ctx.progress('demo') });
  return { r, today };
}

/** The live demo: Stockholm, Hornsgatan 108 as an ordinary place (its aqicn sensor when AQICN_API_KEY is set). */
async function liveDemo(ctx: CliContext, store: FeatureStore): Promise<{ r: RunResult; today: string }> {
  const providers = { ...providersFor(ctx), fetch: { retries: 1, timeoutMs: 8000 } };
  const { token, station } = providers.config.aqicn;
  const place = { ...STOCKHOLM_HORNSGATAN, source: token ? `aqicn:${station ?? 'sweden/stockholm/hornsgatan-108'}` : 'open-meteo' };
  const added = await addPlace(store, place, providers, ctx.todayOverride ?? todayIn(place.timezone));
  const r = { stations: [place.location_id], hourlyRows: 0, days: added.run.days, forecastDays: added.run.forecastDays, commits: added.run.commits };
  return { r, today: added.today };
}

async function syntheticDemo(ctx: CliContext, store: FeatureStore): Promise<{ r: RunResult; today: string }> {
  const today = ctx.todayOverride ?? todayIn('UTC');
  const r = await runSynthetic(store, { end: today, forecastDays: 7, seed: SYNTHETIC_SEED });
  return { r, today };
}

export async function demoCommand(argv: readonly string[]): Promise<void> {
  const p = parse(argv, { json: { type: 'boolean' }, source: { type: 'string' }, path: { type: 'string' } }, 'demo');
  const ctx = contextFrom(p);
  // A --path of UCI files means the Beijing source; otherwise the default is live.
  const source = typeof p.values.source === 'string' ? p.values.source : typeof p.values.path === 'string' ? 'beijing' : 'live';
  if (!['live', 'synthetic', 'beijing'].includes(source)) throw new UsageError(`demo: unknown --source ${source}; use live, synthetic or beijing`);
  await withWriter(ctx, { create: true }, async (store) => {
    const path = source === 'beijing' ? beijingPath(p, readSource(store)) : undefined;
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
    const { r, today } = built ?? (path ? await beijingDemo(ctx, store, path) : await syntheticDemo(ctx, store));
    const ingestSeconds = Math.round(performance.now() - t0) / 1000;
    ctx.log.info(`training the forecaster on data up to ${today}`);
    const text = await selectEmbedder(ctx.storeDir);
    const { trained, forecast, patterns, documents: docs } = await makeReady(store, today, text.embedder, join(ctx.storeDir, 'charts'));
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
        `model ${model.name} v${model.version}${trained.reused ? ' (already registered: same data and code)' : ''}: ${h1 ? `1-day RMSE ${h1.rmse.toFixed(1)} µg/m³ on ${trained.split.testStart}..${trained.split.testEnd} (persistence ${h1.rmse_persistence.toFixed(1)})` : 'trained'}`,
      );
      ctx.out.line(
        `forecasts for ${addDays(today, 1)}..${addDays(today, 7)}: ${forecast.predictions_written} predictions for ${forecast.locations.length} location(s); charts in ${join(ctx.storeDir, 'charts')}`,
      );
      ctx.out.line(`day patterns (numeric day-pattern-v1 vectors) for ${patterns.days} location-days: similar days and analog forecasts`);
      ctx.out.line(`knowledge base: ${docs.documents} documents in ${docs.chunks} chunks, embedded with ${text.description}`);
      ctx.out.line(`done in ${seconds} s`);
      const place = (await listLocations(store))[0]?.name ?? 'my city';
      const where = ctx.storeDir === resolve(loadConfig().storeDir) ? '' : ` --store ${ctx.storeDir}`;
      ctx.out.line(
        `the store's today is ${today}; next (npx airq inside the project): airq ask "Will the air be OK tomorrow in ${place}?"${where}, airq status${where}, airq serve${where}` +
          (source === 'live' ? `, airq places add "Your City"${where}, airq run${where} (every day, or let airq serve run it)` : `, airq fg list${where}`),
      );
    }
  });
}
