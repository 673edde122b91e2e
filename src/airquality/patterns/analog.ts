// The analog ensemble: a target day's (forecast) weather, its k nearest past days by weather, and their PM2.5 as the forecast.
//
// After Delle Monache et al.: the analogs' observed values form an ensemble whose mean is the
// forecast and whose quantiles are its interval. Only days before `before` are candidates, so a
// backtest never draws on the test period.
import { and, col, type FeatureGroup, type Filter, type Row } from '../../store/index.js';
import { quantile } from '../../ml/index.js';
import type { Prediction } from '../forecast/model.js';
import { PATTERN_MODEL, weatherVector } from './day-patterns.js';

export const ANALOGS = 25;

/** Weather rows of the target day and the day before, as the forecast feature view names them (plain and prev_). */
function weatherRows(features: Row): [Row, Row] {
  const day: Row = {};
  const before: Row = {};
  for (const [k, v] of Object.entries(features)) {
    if (k.startsWith('prev_')) before[k.slice(5)] = v;
    else day[k] = v;
  }
  return [day, before];
}

export async function analogForecast(
  patterns: FeatureGroup,
  rows: readonly { location_id: string; features: Row }[],
  options: { before: string; excludeLocations?: string[]; k?: number },
): Promise<Prediction[]> {
  const filters: Filter[] = [col('date').lt(options.before), col('pm25').notNull()];
  for (const l of options.excludeLocations ?? []) filters.push(col('location_id').ne(l));
  const filter = and(...filters);
  // The weather vector does not depend on the horizon: one search serves all seven rows of a target day.
  const cache = new Map<string, Prediction>();
  const out: Prediction[] = [];
  for (const r of rows) {
    const [day, before] = weatherRows(r.features);
    const v = weatherVector(day, before);
    const key = v.join(',');
    let p = cache.get(key);
    if (!p) {
      const hits = await patterns.findNeighbors(v, { k: options.k ?? ANALOGS, column: 'weather_vec', model: PATTERN_MODEL, filter });
      const values = hits.map((h) => h.row.pm25 as number);
      const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
      p = { pm25: mean, lower: quantile(values, 0.1), upper: quantile(values, 0.9) };
      cache.set(key, p);
    }
    out.push(p);
  }
  return out;
}
