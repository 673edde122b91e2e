// Prediction monitoring: each place's logged forecasts once observed, over a recent window, against what the served model's backtest promised.
import { coverage, rmse } from '../../ml/index.js';
import { addDays } from '../../core/dates.js';
import type { FeatureStore, Model } from '../../store/index.js';
import { hindcastRows, type HindcastRow } from '../forecast/hindcast.js';

/** The horizons watched: tomorrow's forecast and the one three days out. */
export const WATCHED_HORIZONS = [1, 3] as const;
/** Fewer observed forecasts than this (two weeks) say nothing yet. */
export const MIN_JUDGED = 14;
/** An RMSE this many times the backtest's is an alert. */
export const RMSE_ALERT_RATIO = 1.5;
/**
 * Coverage is an alert when an interval that truly covers 80% would cover this few this rarely (binomial tail under 1%):
 * with 14 forecasts, 6 or fewer inside. A fixed cut (60%) would alarm a sound interval 15% of the time at 7 forecasts.
 */
export const COVERAGE_ALERT_P = 0.01;

/** P(X ≤ k) for X ~ Binomial(n, p). */
export function binomialCdf(k: number, n: number, p: number): number {
  let term = (1 - p) ** n; // P(X = 0)
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += term;
    term *= ((n - i) / (i + 1)) * (p / (1 - p));
  }
  return Math.min(1, sum);
}

export interface HorizonHealth {
  days_ahead: number;
  n: number;
  rmse: number | null;
  coverage80: number | null;
  /** The served model's backtest figures for this horizon (with weather forecasts when it recorded them). */
  expected_rmse: number | null;
  status: 'ok' | 'alert' | 'too few';
  reason?: string;
}

export interface PlaceHealth {
  location_id: string;
  horizons: HorizonHealth[];
}

/** The model's backtest RMSE at horizon h: as served (with weather forecasts) when recorded, else with the recorded weather. */
export function expectedRmse(model: Model | undefined, h: number): number | null {
  const m = model?.meta.metrics ?? {};
  return m[`rmse_realistic_h${h}`] ?? m[`rmse_h${h}`] ?? null;
}

/** One place's horizon over the window: judged once MIN_JUDGED forecasts are observed. */
export function judge(rows: readonly HindcastRow[], h: number, expected: number | null): HorizonHealth {
  const seen = rows.filter((r) => r.days_ahead === h && r.observed !== null);
  if (seen.length < MIN_JUDGED) return { days_ahead: h, n: seen.length, rmse: null, coverage80: null, expected_rmse: expected, status: 'too few' };
  const obs = seen.map((r) => r.observed as number);
  const e = rmse(
    obs,
    seen.map((r) => r.predicted),
  );
  const c = coverage(
    obs,
    seen.map((r) => r.lower),
    seen.map((r) => r.upper),
  );
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const reasons = [
    ...(expected !== null && e > RMSE_ALERT_RATIO * expected
      ? [`RMSE ${e.toFixed(1)} is over ${RMSE_ALERT_RATIO}x the backtest's ${expected.toFixed(1)}`]
      : []),
    ...(binomialCdf(Math.round(c * seen.length), seen.length, 0.8) < COVERAGE_ALERT_P
      ? [`only ${Math.round(c * seen.length)} of ${seen.length} days fell in the 80% interval`]
      : []),
  ];
  return {
    days_ahead: h,
    n: seen.length,
    rmse: round(e),
    coverage80: round(c),
    expected_rmse: expected,
    status: reasons.length > 0 ? 'alert' : 'ok',
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
  };
}

/** Every place's watched horizons over the `windowDays` up to `today`. */
export async function predictionHealth(
  store: FeatureStore,
  options: { today: string; windowDays: number; model?: Model; location?: string },
): Promise<PlaceHealth[]> {
  const since = addDays(options.today, -options.windowDays + 1);
  const rows = (await hindcastRows(store, { since, location: options.location })).filter((r) => r.date <= options.today);
  const places = [...new Set(rows.map((r) => r.location_id))].sort();
  return places.map((location_id) => {
    const mine = rows.filter((r) => r.location_id === location_id);
    return { location_id, horizons: WATCHED_HORIZONS.map((h) => judge(mine, h, expectedRmse(options.model, h))) };
  });
}
