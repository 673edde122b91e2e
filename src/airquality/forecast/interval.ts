// The 80% interval around a point forecast, coherent by construction: lower < point < upper, every time.
//
// PM2.5 errors grow with the level (a forecast of 150 misses by more than one of 15), so the interval lives in log space:
// log1p(actual) − log1p(point), divided by the day's spread (the square root of the log width between the 10% and 90%
// quantile models, which say how uncertain this kind of day is), is a normalised residual. Its 10% and 90% quantiles on the validation split,
// per horizon and with the split-conformal finite-sample rank (Lei et al. 2018), give how many spreads the interval
// reaches below and above the point. Both reaches are at least MIN_HALF in log units, so no interval ends at its point.

/** The smallest point forecast, µg/m³: daily means below it do not occur, and the interval needs room below the point. */
export const MIN_POINT = 1;
/** The smallest reach of the interval on each side, in log1p units (about 2% of 1 + the point). */
export const MIN_HALF = 0.02;
/** The largest reach on each side, in log1p units (×150): past any PM2.5 ever measured, so no end overflows. */
export const MAX_HALF = 5;
/** The smallest log width of the quantile band: the quantile models may cross or touch on some rows. */
export const MIN_LOG_WIDTH = 0.05;

/** Per horizon (index h − 1), how many spreads the interval reaches below and above the point. */
export interface Band {
  below: number[];
  above: number[];
}

/**
 * How uncertain a row is, from its 10% and 90% quantile predictions: the square root of their log1p distance (at least
 * MIN_LOG_WIDTH). The root damps the quantile models, which over-react: on the Beijing backtest (test year 2016-03 to
 * 2017-02, before the bias correction) the raw log width gave 80% coverage of 0.775-0.797 per horizon, no scaling (one
 * band per horizon) 0.812-0.833, and the root 0.792-0.819 with the lowest interval scores but one.
 */
export function spreadOf(q10: number, q90: number): number {
  const w = Math.log1p(Math.max(0, Math.max(q10, q90))) - Math.log1p(Math.max(0, Math.min(q10, q90)));
  return Math.sqrt(Number.isFinite(w) ? Math.max(MIN_LOG_WIDTH, w) : MIN_LOG_WIDTH);
}

/** The point forecast as served: the model's mean, at least MIN_POINT. */
export const pointOf = (mean: number): number => (Number.isFinite(mean) ? Math.max(MIN_POINT, mean) : MIN_POINT);

/** The interval around `point` (≥ MIN_POINT) reaching `below` and `above` spreads: lower < point < upper for any input. */
export function intervalAround(point: number, spread: number, below: number, above: number): { lower: number; upper: number } {
  const center = Math.log1p(point);
  const reach = (bands: number) => Math.min(MAX_HALF, Math.max(MIN_HALF, Number.isFinite(bands) ? bands * spread : 0));
  const down = reach(below);
  const up = reach(above);
  return { lower: Math.max(0, Math.expm1(center - down)), upper: Math.expm1(center + up) };
}

/** The k-th smallest (1-based, clamped to the list) of sorted values. */
const kth = (sorted: readonly number[], k: number) => sorted[Math.min(sorted.length, Math.max(1, k)) - 1]!;

/**
 * The band that makes intervals cover `level` of the validation rows of each horizon: the normalised residuals' lower and
 * upper (1 − level)/2 quantiles at the conformal ranks ⌊(n + 1)·a⌋ and ⌈(n + 1)·(1 − a)⌉. A horizon without rows gets 0
 * (the interval is then MIN_HALF wide on each side).
 */
export function calibrateBand(rows: readonly { horizon: number; point: number; actual: number; spread: number }[], horizons: number, level = 0.8): Band {
  const a = (1 - level) / 2;
  const band: Band = { below: [], above: [] };
  for (let h = 1; h <= horizons; h++) {
    const z = rows
      .filter((r) => r.horizon === h && Number.isFinite(r.actual))
      .map((r) => (Math.log1p(Math.max(0, r.actual)) - Math.log1p(r.point)) / r.spread)
      .sort((x, y) => x - y);
    const n = z.length;
    // (1 − 0.8) / 2 is 0.0999…98 in floating point: the ranks are rounded as the exact level would have them.
    band.below.push(n === 0 ? 0 : -kth(z, Math.floor((n + 1) * a + 1e-9)));
    band.above.push(n === 0 ? 0 : kth(z, Math.ceil((n + 1) * (1 - a) - 1e-9)));
  }
  return band;
}
