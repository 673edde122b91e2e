// `airq train` and `airq backtest`: the training pipeline, and honest evaluation on a held-out period.
import { z } from 'zod';
import { isIsoDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { backtest } from '../../airquality/forecast/backtest.js';
import type { HorizonMetrics } from '../../airquality/forecast/evaluate.js';
import { trainForecaster } from '../../airquality/forecast/train.js';
import { FeatureStore } from '../../store/index.js';
import { noMorePositionals, option, parse } from '../args.js';
import { contextFrom } from '../context.js';
import { table } from '../output.js';

export const TRAIN_HELP = `airq train — train the PM2.5 forecaster and register it

  airq train [--json]
      temporal split of air_quality_fv up to today (test: the last ~15% of days, at most 180;
      validation before it: ~10%, at most 120); one GBDT for the mean over horizons 1-7 and two
      quantile GBDTs for the 80% interval; per-horizon test metrics against persistence and
      climatology; registered as pm25_forecaster with feature-importance and predicted-vs-actual
      images. The version with the best validation RMSE is the one \`airq forecast\` serves.

Options: --store DIR (default ./.airq, env AIRQ_STORE), --today YYYY-MM-DD`;

export const BACKTEST_HELP = `airq backtest — train before a date, forecast every day after it

  airq backtest --test-start D [--test-end D] [--test-locations a,b] [--model gbdt] [--json]
      trains on targets dated before D (the 120 days before D validate), leaving the test
      locations out entirely when given (and testing only them), then forecasts each test day
      1-7 days ahead. Prints per horizon: RMSE, MAE, R², 80% interval coverage, and RMSE of the
      persistence and climatology baselines. With --json the last line is
      {"horizons":[{"h":1,"n":…,"rmse":…,"mae":…,"r2":…,"coverage80":…,"rmse_persistence":…,"rmse_climatology":…},…],"train_seconds":…}
      --model gbdt (default): the GBDT forecaster; --model analog: the analog ensemble, the 25 past
      days (before D) whose weather and the day before's are nearest, their PM2.5 as the forecast

Options: --store DIR (default ./.airq, env AIRQ_STORE)`;

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
  if (p.values.help) return ctx.out.line(TRAIN_HELP);
  noMorePositionals(p, 0, 'train');
  const store = await FeatureStore.open({ dir: ctx.storeDir, clock: ctx.clock });
  try {
    const today = ctx.clock.today();
    ctx.log.info(`training on data up to ${today}`);
    const r = await trainForecaster(store, today);
    if (p.values.json) {
      ctx.out.json({
        model: { name: r.model.name, version: r.model.version },
        split: r.split,
        horizons: r.horizons,
        train_seconds: r.train_seconds,
        metrics: r.model.metrics,
      });
      return;
    }
    ctx.out.line(
      `registered ${r.model.name} v${r.model.version} (trained in ${r.train_seconds} s; validation RMSE ${round(r.model.metrics.validation_rmse!, 1)} µg/m³)`,
    );
    ctx.out.line(
      `split: train to ${r.split.trainEnd}, validation ${r.split.validationStart}..${r.split.validationEnd}, test ${r.split.testStart}..${r.split.testEnd}`,
    );
    ctx.out.line(horizonTable(r.horizons));
    ctx.out.line(`images: ${r.model.meta.images.map((i) => `${r.model.path}/${i}`).join(', ')}`);
  } finally {
    await store.close();
  }
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
    },
    'backtest',
  );
  const ctx = contextFrom(p);
  if (p.values.help) return ctx.out.line(BACKTEST_HELP);
  noMorePositionals(p, 0, 'backtest');
  if (p.values['test-start'] === undefined) throw new UsageError('backtest: --test-start YYYY-MM-DD is required (see `airq backtest --help`)');
  const testStart = option(DateOption, p.values['test-start'], 'test-start');
  const testEnd = option(DateOption.optional(), p.values['test-end'], 'test-end');
  const testLocations = option(Locations.optional(), p.values['test-locations'], 'test-locations');
  const model = option(z.enum(['gbdt', 'analog'], { error: 'use gbdt or analog' }).optional(), p.values.model, 'model');
  const store = await FeatureStore.open({ dir: ctx.storeDir, clock: ctx.clock });
  try {
    const r = await backtest(store, { testStart, testEnd, testLocations, model });
    const summary = {
      model: r.model,
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
      `${r.model}: trained on ${r.train_rows} rows (validation ${r.validation_rows}) in ${r.train_seconds} s; tested ${r.test_rows} forecasts from ${testStart}${testEnd ? ` to ${testEnd}` : ''}`,
    );
    ctx.out.line(horizonTable(r.horizons));
  } finally {
    await store.close();
  }
}
