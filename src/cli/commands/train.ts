// `airq train` and `airq backtest`: the training pipeline, and honest evaluation on a held-out period.
import { z } from 'zod';
import { isIsoDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { backtest, checkBacktest } from '../../airquality/forecast/backtest.js';
import type { HorizonMetrics } from '../../airquality/forecast/evaluate.js';
import { trainForecaster } from '../../airquality/forecast/train.js';
import { asUsage, noMorePositionals, option, parse } from '../args.js';
import { contextFrom, withWriter, writingToday } from '../context.js';
import { table } from '../output.js';

const DateOption = z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD');
const Locations = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x.length > 0),
  )
  .refine((a) => a.length > 0, 'give location ids separated by commas');

const round = (x: number, d = 3) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);

export function horizonTable(horizons: readonly HorizonMetrics[]): string {
  return table(
    horizons.map((h) => ({
      h: h.h,
      n: h.n,
      rmse: round(h.rmse, 1),
      mae: round(h.mae, 1),
      r2: round(h.r2),
      bias: round(h.bias, 1),
      coverage80: round(h.coverage80),
      coverage80_ci90: `${round(h.coverage80_low, 2)}-${round(h.coverage80_high, 2)}`,
      width80: round(h.width80, 1),
      interval_score80: round(h.interval_score80, 1),
      rmse_persistence: round(h.rmse_persistence, 1),
      rmse_climatology: round(h.rmse_climatology, 1),
      skill_vs_persistence: round(h.skill_persistence),
      skill_vs_climatology: round(h.skill_climatology),
    })),
  );
}

export async function trainCommand(argv: readonly string[]): Promise<void> {
  const p = parse(argv, { json: { type: 'boolean' } }, 'train');
  const ctx = contextFrom(p);
  noMorePositionals(p, 0, 'train');
  await withWriter(ctx, { create: false }, async (store) => {
    const today = await writingToday(ctx, store);
    ctx.log.info(`training on data up to ${today}`);
    const r = await trainForecaster(store, today);
    if (p.values.json) {
      ctx.out.json({
        model: { name: r.model.name, version: r.model.version },
        reused: r.reused,
        split: r.split,
        horizons: r.horizons,
        train_seconds: r.train_seconds,
        metrics: r.model.metrics,
      });
      return;
    }
    const what = r.reused
      ? `${r.model.name} v${r.model.version} is already registered: the same data and code give the same model`
      : `registered ${r.model.name} v${r.model.version}`;
    ctx.out.line(`${what} (trained in ${r.train_seconds} s; validation RMSE ${round(r.model.metrics.validation_rmse!, 1)} µg/m³)`);
    ctx.out.line(
      `split: train to ${r.split.trainEnd}, validation ${r.split.validationStart}..${r.split.validationEnd}, test ${r.split.testStart}..${r.split.testEnd}`,
    );
    ctx.out.line(horizonTable(r.horizons));
    ctx.out.line(`images: ${r.model.meta.images.map((i) => `${r.model.path}/${i}`).join(', ')}`);
  });
}

export async function backtestCommand(argv: readonly string[]): Promise<void> {
  const p = parse(
    argv,
    {
      json: { type: 'boolean' },
      'test-start': { type: 'string' },
      'test-end': { type: 'string' },
      'test-locations': { type: 'string' },
      model: { type: 'string' },
      weather: { type: 'string' },
      seed: { type: 'string' },
    },
    'backtest',
  );
  const ctx = contextFrom(p);
  noMorePositionals(p, 0, 'backtest');
  if (p.values['test-start'] === undefined) throw new UsageError('backtest: --test-start YYYY-MM-DD is required (see `airq backtest --help`)');
  const testStart = option(DateOption, p.values['test-start'], 'test-start');
  const testEnd = option(DateOption.optional(), p.values['test-end'], 'test-end');
  const testLocations = option(Locations.optional(), p.values['test-locations'], 'test-locations');
  const model = option(z.enum(['gbdt', 'analog'], { error: 'use gbdt or analog' }).optional(), p.values.model, 'model');
  const weather = option(z.enum(['perfect', 'realistic'], { error: 'use perfect or realistic' }).optional(), p.values.weather, 'weather');
  const seed = option(
    z.coerce
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
    p.values.seed,
    'seed',
  );
  if (seed !== undefined && weather !== 'realistic') throw new UsageError('backtest: --seed goes with --weather realistic');
  await withWriter(ctx, { create: false }, async (store) => {
    const options = { testStart, testEnd, testLocations, model, weather, seed };
    // Refused before anything is written: dates outside the data, an unknown place, too short a window.
    await asUsage('backtest', () => checkBacktest(store, options));
    const r = await backtest(store, options);
    const summary = {
      model: r.model,
      weather: r.weather,
      ...(r.seed !== undefined ? { seed: r.seed } : {}),
      horizons: r.horizons,
      train_seconds: r.train_seconds,
      train_rows: r.train_rows,
      validation_rows: r.validation_rows,
      test_rows: r.test_rows,
    };
    if (p.values.json) {
      ctx.out.json(summary);
      return;
    }
    ctx.out.line(
      `${r.model}: trained on ${r.train_rows} rows (validation ${r.validation_rows}) in ${r.train_seconds} s; tested ${r.test_rows} forecasts from ${testStart}${testEnd ? ` to ${testEnd}` : ''} with ${r.weather === 'realistic' ? `realistic weather forecasts (seed ${r.seed})` : 'the recorded weather (a perfect forecast)'}`,
    );
    ctx.out.line(horizonTable(r.horizons));
  });
}
