// The days with observed PM2.5, per place: what a backtest or a monitoring window has to judge.
import { col, type FeatureStore } from '../../store/index.js';

export interface Observed {
  rows: { location_id: string; date: string }[];
  /** Distinct days with a measurement at any place, oldest first. */
  days: string[];
  /** "the data covers FIRST to LAST", or that there is none yet: the end of every refusal about dates. */
  covers: string;
}

export async function observedDays(store: FeatureStore): Promise<Observed> {
  const read = await store.getFeatureGroup('air_quality').select(['location_id', 'date', 'pm25']).filter(col('pm25').notNull()).read();
  const rows = read.map((r) => ({ location_id: r.location_id as string, date: r.date as string }));
  const days = [...new Set(rows.map((r) => r.date))].sort();
  return { rows, days, covers: days.length > 0 ? `the data covers ${days[0]} to ${days.at(-1)}` : 'the store has no observations yet' };
}

/** How many distinct days in [from, to] have a measurement (at `places` when given, else anywhere). */
export function observedIn(o: Observed, from: string, to: string | undefined, places?: ReadonlySet<string>): number {
  const inRange = (r: Observed['rows'][number]) => r.date >= from && (to === undefined || r.date <= to) && (!places?.size || places.has(r.location_id));
  return new Set(o.rows.filter(inRange).map((r) => r.date)).size;
}
