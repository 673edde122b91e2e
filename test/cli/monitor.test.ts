// `airq monitor` on the synthetic store: the report (drift against earlier years, forecasts once observed), and what it refuses with exit 2.
import { describe, expect, it } from 'vitest';
import { airq, lastJson } from '../helpers/cli.js';
import { syntheticStore } from '../helpers/stores.js';

const ENV = { AIRQ_LOG_LEVEL: 'warn' };

describe('airq monitor', () => {
  it('reports drift per input against the same days of earlier years, and the forecasts once observed', async () => {
    const store = syntheticStore();
    const r = await airq(['monitor', '--store', store, '--today', '2024-06-30', '--json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const report = lastJson(r) as {
      window: { start: string; end: string; days: number };
      model: { name: string } | null;
      drift: {
        location_id: string;
        recent_days: number;
        reference_years: number;
        features: { feature: string; psi: number; threshold: number; level: string }[];
      }[];
      predictions: unknown[];
      alerts: string[];
    };
    expect(report.window).toEqual({ start: '2024-06-01', end: '2024-06-30', days: 30 });
    expect(report.model?.name).toBe('pm25_forecaster');
    const [city] = report.drift;
    expect(city).toMatchObject({ location_id: 'synthetic-city', recent_days: 30, reference_years: 2 });
    const judged = city!.features.map((f) => f.feature);
    expect(judged).toEqual(expect.arrayContaining(['temperature_mean', 'issue_pm25', 'wind_u']));
    // The days before's weather is the same series a day or two earlier: judged once, not three times.
    expect(judged.filter((f) => f.startsWith('prev'))).toEqual([]);
    for (const f of city!.features) expect(f.threshold).toBeGreaterThanOrEqual(0.25);
    expect(Array.isArray(report.predictions) && Array.isArray(report.alerts)).toBe(true);

    const text = await airq(['monitor', '--store', store, '--today', '2024-06-30', '--window', '60'], ENV);
    expect(text.stdout).toMatch(/^monitoring 2024-05-02 to 2024-06-30 against pm25_forecaster v\d+/);
    expect(text.stdout).toMatch(/feature drift .*\n.*synthetic-city/s);
    expect(text.stdout).toMatch(/forecasts once observed/);
  }, 60_000);

  it('refuses a window it cannot judge with one line and exit 2', async () => {
    const store = syntheticStore();
    const refused: [string[], RegExp][] = [
      [['--window', '7'], /--window: must be at least 14 days: fewer say nothing/],
      [['--location', 'atlantis'], /monitor: unknown place "atlantis"; places: synthetic-city/],
      [
        ['--today', '2030-01-01'],
        /monitor: the 30 days up to 2030-01-01 hold 0 observed days and monitoring needs 14; the data covers 2021-07-01 to 2024-06-30/,
      ],
      [['extra'], /monitor: unexpected argument "extra"/],
    ];
    for (const [args, message] of refused) {
      const r = await airq(['monitor', ...args, '--store', store], ENV);
      expect([r.code, r.stderr.trim().split('\n').length], args.join(' ')).toEqual([2, 1]);
      expect(r.stderr).toMatch(message);
    }
  }, 60_000);
});
