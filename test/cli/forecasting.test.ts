// `airq train`, `airq forecast` and `airq backtest` on a copy of the synthetic demo store, as a user runs them (no --today: the store's clock).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { airq, lastJson } from '../helpers/cli.js';
import { copyStore, syntheticStore } from '../helpers/stores.js';
import { tempDir } from '../helpers/tmp.js';

const OFFLINE = { AIRQ_OPEN_METEO_ARCHIVE_URL: 'http://127.0.0.1:9/archive', AIRQ_LOG_LEVEL: 'warn' };

describe('forecasting commands', () => {
  it('forecasts 7 days with charts, logs predictions once, hindcasts them after the next day, and registers a retrained model once', async () => {
    const store = copyStore(syntheticStore());
    // Forecasting the same day again logs nothing new: predictions are a log, never rewritten.
    const again = lastJson(await airq(['forecast', '--store', store, '--json'], OFFLINE)) as {
      issue_date: string;
      predictions_written: number;
      locations: { days: { date: string }[] }[];
      charts: string[];
    };
    expect([again.issue_date, again.predictions_written]).toEqual(['2024-06-30', 0]);
    expect(again.locations[0]!.days.map((d) => d.date)).toEqual([
      '2024-07-01',
      '2024-07-02',
      '2024-07-03',
      '2024-07-04',
      '2024-07-05',
      '2024-07-06',
      '2024-07-07',
    ]);
    const png = again.charts.find((c) => c.endsWith('forecast_synthetic-city.png'))!;
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(png.replace(/\.png$/, '.svg'), 'utf8')).toContain('PM2.5 forecast for synthetic-city, issued 2024-06-30');

    // The daily run takes the store's next day and already embeds it: airq embed finds nothing left to do.
    const daily = await airq(['pipeline', 'daily', '--store', store], OFFLINE);
    expect([daily.code, daily.stdout]).toEqual([0, expect.stringContaining("the store's today is 2024-07-01")]);
    expect(lastJson(await airq(['embed', '--store', store, '--json'], OFFLINE))).toMatchObject({ day_patterns: { inserted: 0, updated: 0 } });
    const next = await airq(['forecast', '--store', store], OFFLINE);
    expect(next.code).toBe(0);
    expect(next.stdout).toMatch(/^forecasts issued 2024-07-01/);
    expect(next.stdout).toMatch(/hindcast \(earlier forecasts vs what was observed\):\nlocation_id +days_ahead +n/);
    expect(next.stdout).toMatch(/synthetic-city +1 +1 /);
    expect(existsSync(join(store, 'charts', 'forecast_synthetic-city.png'))).toBe(true);

    // The registry: a second version (new data) with metrics and images; the same data again adds none.
    const trained = lastJson(await airq(['train', '--store', store, '--json'], OFFLINE)) as {
      model: { version: number };
      reused: boolean;
      horizons: unknown[];
      metrics: Record<string, number>;
    };
    expect([trained.model.version, trained.reused]).toEqual([2, false]);
    expect(trained.horizons).toHaveLength(7);
    expect(trained.metrics.validation_rmse).toBeGreaterThan(0);
    const retrained = await airq(['train', '--store', store], OFFLINE);
    expect(retrained.stdout).toMatch(/^pm25_forecaster v2 is already registered: the same data and code give the same model/);
    const card = (await airq(['models', 'show', 'pm25_forecaster', '--store', store], OFFLINE)).stdout;
    expect(card).toContain('images/feature_importance.png');
    expect(card).toContain('rmse_persistence_h1');
  }, 240_000);

  it('backtests with a JSON summary and refuses bad options', async () => {
    const store = copyStore(syntheticStore());
    const r = await airq(['backtest', '--test-start', '2024-03-01', '--test-end', '2024-05-31', '--store', store, '--json'], OFFLINE);
    expect(r.code).toBe(0);
    const out = lastJson(r) as { horizons: { h: number; n: number; rmse: number; rmse_persistence: number; coverage80: number }[]; train_seconds: number };
    expect(out.horizons.map((h) => h.h)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // Forecasts issued from --test-start on (the model is refit on every day before it): 91 days 1 day ahead, 85 at 7.
    expect([out.horizons[0]!.n, out.horizons[6]!.n]).toEqual([91, 85]);
    expect(Object.keys(out.horizons[0]!)).toEqual(expect.arrayContaining(['rmse', 'mae', 'r2', 'coverage80', 'rmse_persistence', 'rmse_climatology']));
    expect(out.train_seconds).toBeGreaterThan(0);

    expect(await airq(['backtest', '--store', store], OFFLINE)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--test-start YYYY-MM-DD is required/),
    });
    expect(await airq(['backtest', '--test-start', '2024-13-01', '--store', store], OFFLINE)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--test-start: must be a date/),
    });
    // Realistic weather: seeded, so the same seed gives the same figures; weather forecasts cost accuracy.
    const realistic = async (seed: string) =>
      lastJson(
        await airq(
          ['backtest', '--test-start', '2024-03-01', '--test-end', '2024-05-31', '--weather', 'realistic', '--seed', seed, '--store', store, '--json'],
          OFFLINE,
        ),
      ) as {
        weather: string;
        seed: number;
        horizons: { rmse: number }[];
      };
    const [a, again] = [await realistic('3'), await realistic('3')];
    expect([a.weather, a.seed]).toEqual(['realistic', 3]);
    expect(again.horizons).toEqual(a.horizons);
    expect(a.horizons[6]!.rmse).toBeGreaterThan(out.horizons[6]!.rmse);

    // What the data cannot judge is refused with one line and exit 2, before anything is written.
    const refused: [string[], RegExp][] = [
      [['--test-start', '2024-03-01', '--test-locations', 'x'], /backtest: unknown test location "x"; known: synthetic-city/],
      [['--test-start', '2025-01-01'], /backtest: --test-start 2025-01-01 is after the last observed day; the data covers 2021-07-01 to 2024-06-30/],
      [
        ['--test-start', '2021-09-01'],
        /backtest: the window is too short to judge: training needs 60 observed days before 2021-08-11 .* and has 41; .* so choose a --test-start of 2021-09-29 or later/,
      ],
      [['--test-start', '2024-06-27'], /backtest: the test window has 4 observed days and a backtest needs 7/],
      [['--test-start', '2024-03-01', '--seed', '3'], /backtest: --seed goes with --weather realistic/],
      [['--test-start', '2024-03-01', '--weather', 'forecast'], /--weather: use perfect or realistic/],
    ];
    for (const [args, message] of refused) {
      const r = await airq(['backtest', ...args, '--store', store], OFFLINE);
      expect([r.code, r.stderr.trim().split('\n').length], args.join(' ')).toEqual([2, 1]);
      expect(r.stderr).toMatch(message);
    }
    expect((await airq(['forecast', '--location', 'nowhere', '--store', store], OFFLINE)).stderr).toMatch(/unknown location "nowhere"/);
    // A model trained through 2024-06-30 forecasting from an earlier day would have seen its own future: refused, nothing logged.
    const backdated = await airq(['forecast', '--today', '2024-06-20', '--store', store], OFFLINE);
    expect(backdated.code).toBe(1);
    expect(backdated.stderr).toMatch(
      /learned from days after 2024-06-20 \(trained through 2024-06-30 at the earliest\), so it cannot forecast from that day; train one through it first: `airq train --today 2024-06-20`/,
    );
    expect(await airq(['backtest', '--test-start', '2024-03-01', '--model', 'xgboost', '--store', store], OFFLINE)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--model: use gbdt or analog/),
    });

    // A store with data but no model says what to do.
    const bare = tempDir();
    expect((await airq(['pipeline', 'backfill', '--source', 'synthetic', '--today', '2024-06-30', '--store', bare], OFFLINE)).code).toBe(0);
    expect(await airq(['forecast', '--store', bare], OFFLINE)).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/no trained forecaster yet; run `airq train`/),
    });
  }, 240_000);

  it("refuses a --today outside the store's data for forecast, train and run, and writes nothing", async () => {
    const store = copyStore(syntheticStore());
    const before = lastJson(await airq(['fg', 'list', '--store', store, '--json'], OFFLINE));
    for (const [args, today] of [
      [['forecast'], '1900-01-01'],
      [['train'], '1900-01-01'],
      [['forecast'], '2999-01-01'],
      [['run'], '1970-01-01'],
    ] as const) {
      const r = await airq([...args, '--store', store, '--today', today], OFFLINE);
      expect([r.code, r.stderr.trim()], `${args[0]} ${today}`).toEqual([
        2,
        expect.stringMatching(new RegExp(`^airq: --today ${today} is outside this store's data \\(observations from \\d{4}-\\d{2}-\\d{2} to 2024-06-30\\)`)),
      ]);
    }
    expect(lastJson(await airq(['fg', 'list', '--store', store, '--json'], OFFLINE))).toEqual(before);
  });
});
