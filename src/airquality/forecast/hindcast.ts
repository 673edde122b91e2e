// Hindcasts: logged predictions joined with the observations that arrived later; errors per location and days ahead.
import { join } from 'node:path';
import { mae, rmse, bias, coverage } from '../../ml/index.js';
import { and, col, type FeatureStore, type Filter } from '../../store/index.js';
import { hindcastChart, writeChart } from '../charts/charts.js';
import { AQ_PREDICTIONS } from './groups.js';

export interface HindcastRow {
  location_id: string;
  date: string;
  issue_date: string;
  days_ahead: number;
  predicted: number;
  lower: number;
  upper: number;
  observed: number | null;
}

export interface HindcastSummary {
  location_id: string;
  days_ahead: number;
  n: number;
  rmse: number;
  mae: number;
  bias: number;
  coverage80: number;
}

/** Every logged prediction with the observation for its date (null until observed), oldest first. */
export async function hindcastRows(store: FeatureStore, options: { location?: string; since?: string } = {}): Promise<HindcastRow[]> {
  const predictions = await store.getOrCreateFeatureGroup(AQ_PREDICTIONS);
  if (predictions.meta.schema === null) return [];
  const filters: Filter[] = [];
  if (options.location) filters.push(col('location_id').eq(options.location));
  if (options.since) filters.push(col('date').ge(options.since));
  let q = predictions
    .select(['location_id', 'date', 'issue_date', 'days_ahead', 'pm25', 'pm25_lower', 'pm25_upper'])
    .join(store.getFeatureGroup('air_quality').select(['pm25']), { leftOn: ['location_id', 'date'], rightOn: ['location_id', 'date'], prefix: 'observed_' });
  if (filters.length > 0) q = q.filter(and(...filters));
  const rows = await q.read();
  return rows
    .map((r) => ({
      location_id: r.location_id as string,
      date: r.date as string,
      issue_date: r.issue_date as string,
      days_ahead: r.days_ahead as number,
      predicted: r.pm25 as number,
      lower: r.pm25_lower as number,
      upper: r.pm25_upper as number,
      observed: (r.observed_pm25 as number | null) ?? null,
    }))
    .sort((a, b) => a.location_id.localeCompare(b.location_id) || a.date.localeCompare(b.date) || a.days_ahead - b.days_ahead);
}

export function summarise(rows: readonly HindcastRow[]): HindcastSummary[] {
  const groups = new Map<string, HindcastRow[]>();
  for (const r of rows) {
    if (r.observed === null) continue;
    const k = `${r.location_id}|${r.days_ahead}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()]
    .map((g) => {
      const obs = g.map((r) => r.observed as number);
      const pred = g.map((r) => r.predicted);
      return {
        location_id: g[0]!.location_id,
        days_ahead: g[0]!.days_ahead,
        n: g.length,
        rmse: rmse(obs, pred),
        mae: mae(obs, pred),
        bias: bias(obs, pred),
        coverage80: coverage(
          obs,
          g.map((r) => r.lower),
          g.map((r) => r.upper),
        ),
      };
    })
    .sort((a, b) => a.location_id.localeCompare(b.location_id) || a.days_ahead - b.days_ahead);
}

/** One hindcast chart per location, of its 1-day-ahead forecasts (the latest model's, per date). */
export function hindcastCharts(rows: readonly HindcastRow[], dir: string): string[] {
  const files: string[] = [];
  const byLocation = new Map<string, HindcastRow[]>();
  for (const r of rows) if (r.days_ahead === 1) byLocation.set(r.location_id, [...(byLocation.get(r.location_id) ?? []), r]);
  for (const [l, rs] of byLocation) {
    const byDate = new Map(rs.map((r) => [r.date, r])); // the last logged for a date wins
    const points = [...byDate.values()].map((r) => ({ date: r.date, predicted: r.predicted, observed: r.observed }));
    if (points.length < 2) continue;
    files.push(...writeChart(dir, `hindcast_${l}`, hindcastChart(l, 1, points)).map((f) => join(dir, f)));
  }
  return files;
}
