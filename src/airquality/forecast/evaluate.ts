// Forecast evaluation per horizon against two baselines: persistence (the issue day's PM2.5) and climatology.
import { isoDateToEpochDays } from '../../core/dates.js';
import { bias, blockBootstrapShare, coverage, degenerateShare, intervalScore, mae, meanWidth, r2, rmse, skill } from '../../ml/index.js';
import type { Row } from '../../store/index.js';
import { MAX_DAYS_AHEAD } from './groups.js';
import type { Prediction } from './model.js';

export interface HorizonMetrics {
  h: number;
  n: number;
  rmse: number;
  mae: number;
  r2: number;
  bias: number;
  coverage80: number;
  /** 90% interval of coverage80 by a block bootstrap over the weeks of the target dates (a week's days and places move together). */
  coverage80_low: number;
  coverage80_high: number;
  /** Mean width of the 80% intervals, µg/m³. */
  width80: number;
  /** Interval score of the 80% intervals (width plus 10× any miss), µg/m³: lower is better. */
  interval_score80: number;
  /** Share of intervals without the point strictly inside (an end at the point). */
  degenerate80: number;
  rmse_persistence: number;
  rmse_climatology: number;
  skill_persistence: number;
  skill_climatology: number;
}

/** Mean PM2.5 per location × month of the target date, with the all-locations month mean for locations it has not seen. */
export class Climatology {
  private readonly byLocationMonth = new Map<string, number>();
  private readonly byMonth = new Map<number, number>();
  private overall = 0;

  constructor(rows: readonly { location_id: string; month: number; pm25: number }[]) {
    const add = <K>(m: Map<K, [number, number]>, k: K, v: number) => {
      const s = m.get(k) ?? [0, 0];
      m.set(k, [s[0] + v, s[1] + 1]);
    };
    const lm = new Map<string, [number, number]>();
    const mm = new Map<number, [number, number]>();
    let sum = 0;
    for (const r of rows) {
      add(lm, `${r.location_id}|${r.month}`, r.pm25);
      add(mm, r.month, r.pm25);
      sum += r.pm25;
    }
    for (const [k, [s, n]] of lm) this.byLocationMonth.set(k, s / n);
    for (const [k, [s, n]] of mm) this.byMonth.set(k, s / n);
    this.overall = rows.length > 0 ? sum / rows.length : NaN;
  }

  predict(location: string, month: number): number {
    return this.byLocationMonth.get(`${location}|${month}`) ?? this.byMonth.get(month) ?? this.overall;
  }
}

/** Weeks since 1970-01-01 (a Thursday): the bootstrap's block of a date. */
const weekOf = (date: string) => String(Math.floor(isoDateToEpochDays(date) / 7));

export const monthOf = (date: string) => Number(date.slice(5, 7));

/** Persistence: the issue day's PM2.5, else its 3-day mean, else climatology (days with no measurement). */
export function persistence(features: Row, fallback: number): number {
  const v = features.issue_pm25 ?? features.issue_pm25_mean_3d;
  return typeof v === 'number' ? v : fallback;
}

export interface EvalRow {
  location_id: string;
  date: string;
  features: Row;
  actual: number;
  prediction: Prediction;
}

export function metricsByHorizon(rows: readonly EvalRow[], climatology: Climatology): HorizonMetrics[] {
  const out: HorizonMetrics[] = [];
  for (let h = 1; h <= MAX_DAYS_AHEAD; h++) {
    const rs = rows.filter((r) => r.features.days_ahead === h);
    if (rs.length === 0) continue;
    const actual = rs.map((r) => r.actual);
    const pred = rs.map((r) => r.prediction.pm25);
    const lower = rs.map((r) => r.prediction.lower);
    const upper = rs.map((r) => r.prediction.upper);
    const clim = rs.map((r) => climatology.predict(r.location_id, monthOf(r.date)));
    const pers = rs.map((r, i) => persistence(r.features, clim[i]!));
    const e = rmse(actual, pred);
    const [coverageLow, coverageHigh] = blockBootstrapShare(
      rs.map((_, i) => actual[i]! >= lower[i]! && actual[i]! <= upper[i]!),
      rs.map((r) => weekOf(r.date)),
    );
    const ep = rmse(actual, pers);
    const ec = rmse(actual, clim);
    out.push({
      h,
      n: rs.length,
      rmse: e,
      mae: mae(actual, pred),
      r2: r2(actual, pred),
      bias: bias(actual, pred),
      coverage80: coverage(actual, lower, upper),
      coverage80_low: coverageLow,
      coverage80_high: coverageHigh,
      width80: meanWidth(lower, upper),
      interval_score80: intervalScore(actual, lower, upper, 0.2),
      degenerate80: degenerateShare(pred, lower, upper),
      rmse_persistence: ep,
      rmse_climatology: ec,
      skill_persistence: skill(e, ep),
      skill_climatology: skill(e, ec),
    });
  }
  return out;
}
