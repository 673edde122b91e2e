// `airq train`, `airq forecast` and `airq backtest` on a synthetic demo store, as a user runs them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastJson, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const OFFLINE = { AIRQ_OPEN_METEO_ARCHIVE_URL: 'http://127.0.0.1:9/archive', AIRQ_LOG_LEVEL: 'warn' };

describe('forecasting commands', () => {
  it('trains, forecasts 7 days with charts, logs predictions once, and hindcasts them after the next day', () => {
    const store = tempDir();
    const demo = runCli(['demo', '--source', 'synthetic', '--today', '2024-06-30', '--store', store, '--json'], OFFLINE);
    expect(demo.code).toBe(0);
    const built = lastJson(demo) as { model: { name: string; version: number }; forecast: { predictions_written: number; charts: string[] } };
    expect(built.model).toMatchObject({ name: 'pm25_forecaster', version: 1 });
    expect(built.forecast.predictions_written).toBe(7);
    const png = built.forecast.charts.find((c) => c.endsWith('.png'))!;
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(png.replace(/\.png$/, '.svg'), 'utf8')).toContain('PM2.5 forecast for synthetic-city, issued 2024-06-30');

    // Forecasting the same day again logs nothing new: predictions are a log, never rewritten.
    const again = lastJson(runCli(['forecast', '--today', '2024-06-30', '--store', store, '--json'], OFFLINE)) as {
      predictions_written: number;
      locations: { days: { date: string }[] }[];
    };
    expect(again.predictions_written).toBe(0);
    expect(again.locations[0]!.days.map((d) => d.date)).toEqual([
      '2024-07-01',
      '2024-07-02',
      '2024-07-03',
      '2024-07-04',
      '2024-07-05',
      '2024-07-06',
      '2024-07-07',
    ]);

    expect((lastJson(demo) as { day_patterns: number }).day_patterns).toBeGreaterThan(1000);
    expect(runCli(['pipeline', 'daily', '--today', '2024-07-01', '--store', store], OFFLINE).code).toBe(0);
    // The daily run already embedded the new day: airq embed finds nothing left to do.
    expect(lastJson(runCli(['embed', '--store', store, '--json'], OFFLINE))).toMatchObject({ day_patterns: { inserted: 0, updated: 0 } });
    const next = runCli(['forecast', '--today', '2024-07-01', '--store', store], OFFLINE);
    expect(next.code).toBe(0);
    expect(next.stdout).toMatch(/hindcast \(earlier forecasts vs what was observed\):\nlocation_id +days_ahead +n/);
    expect(next.stdout).toMatch(/synthetic-city +1 +1 /);
    expect(existsSync(join(store, 'charts', 'forecast_synthetic-city.png'))).toBe(true);

    // The registry: a second version with metrics and images; the model card names them.
    const trained = lastJson(runCli(['train', '--today', '2024-07-01', '--store', store, '--json'], OFFLINE)) as {
      model: { version: number };
      horizons: unknown[];
      metrics: Record<string, number>;
    };
    expect(trained.model.version).toBe(2);
    expect(trained.horizons).toHaveLength(7);
    expect(trained.metrics.validation_rmse).toBeGreaterThan(0);
    const card = runCli(['models', 'show', 'pm25_forecaster', '--store', store], OFFLINE).stdout;
    expect(card).toContain('images/feature_importance.png');
    expect(card).toContain('rmse_persistence_h1');
  }, 120_000);

  it('backtests with a JSON summary and refuses bad options', () => {
    const store = tempDir();
    expect(runCli(['demo', '--source', 'synthetic', '--today', '2024-06-30', '--store', store], OFFLINE).code).toBe(0);
    const r = runCli(['backtest', '--test-start', '2024-03-01', '--test-end', '2024-05-31', '--store', store, '--json'], OFFLINE);
    expect(r.code).toBe(0);
    const out = lastJson(r) as { horizons: { h: number; n: number; rmse: number; rmse_persistence: number; coverage80: number }[]; train_seconds: number };
    expect(out.horizons.map((h) => h.h)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(out.horizons[0]!.n).toBe(92);
    expect(Object.keys(out.horizons[0]!)).toEqual(expect.arrayContaining(['rmse', 'mae', 'r2', 'coverage80', 'rmse_persistence', 'rmse_climatology']));
    expect(out.train_seconds).toBeGreaterThan(0);

    expect(runCli(['backtest', '--store', store], OFFLINE)).toMatchObject({ code: 2, stderr: expect.stringMatching(/--test-start YYYY-MM-DD is required/) });
    expect(runCli(['backtest', '--test-start', '2024-13-01', '--store', store], OFFLINE)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--test-start: must be a date/),
    });
    expect(runCli(['backtest', '--test-start', '2024-03-01', '--test-locations', 'x', '--store', store], OFFLINE)).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/unknown test location "x"; known: synthetic-city/),
    });
    expect(runCli(['forecast', '--location', 'nowhere', '--today', '2024-06-30', '--store', store], OFFLINE).stderr).toMatch(/unknown location "nowhere"/);
    expect(runCli(['backtest', '--test-start', '2024-03-01', '--model', 'xgboost', '--store', store], OFFLINE)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--model: use gbdt or analog/),
    });

    // A store with data but no model says what to do.
    const bare = tempDir();
    expect(runCli(['pipeline', 'backfill', '--source', 'synthetic', '--today', '2024-06-30', '--store', bare], OFFLINE).code).toBe(0);
    expect(runCli(['forecast', '--today', '2024-06-30', '--store', bare], OFFLINE)).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/no trained forecaster yet; run `airq train`/),
    });
  }, 120_000);
});
