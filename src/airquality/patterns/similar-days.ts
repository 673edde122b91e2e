// "Days like this one": the nearest past location-days by pattern, and what PM2.5 did on the days after each.
import { addDays } from '../../core/dates.js';
import { NotFoundError } from '../../core/errors.js';
import { and, col, type FeatureStore, type Filter } from '../../store/index.js';
import { dayPatternsGroup, PATTERN_MODEL } from './day-patterns.js';

export interface SimilarDay {
  location_id: string;
  date: string;
  /** Distance in pattern space (squared L2 on the fixed scales; smaller is more alike). */
  distance: number;
  pm25: number | null;
  /** PM2.5 on the 1st, 2nd and 3rd day after (null when not measured). */
  next_days: (number | null)[];
}

export async function findSimilarDays(
  store: FeatureStore,
  location: string,
  date: string,
  options: { k?: number; allLocations?: boolean } = {},
): Promise<{ day: { location_id: string; date: string; pm25: number | null }; similar: SimilarDay[] }> {
  const fg = await dayPatternsGroup(store);
  const [self] = await fg
    .selectAll()
    .filter(and(col('location_id').eq(location), col('date').eq(date)))
    .read();
  if (!self)
    throw new NotFoundError(
      `no day pattern for ${location} on ${date}: it needs that day's weather and PM2.5, and the store's daily run computes it once both are in`,
    );
  // Only days before it: what happened after an earlier similar day is something we could know.
  const filters: Filter[] = [col('date').lt(date)];
  if (!options.allLocations) filters.push(col('location_id').eq(location));
  const hits = await fg.findNeighbors(self.pattern_vec as number[], {
    k: options.k ?? 5,
    column: 'pattern_vec',
    model: PATTERN_MODEL,
    filter: and(...filters),
  });
  const aq = store.getFeatureGroup('air_quality');
  const similar: SimilarDay[] = [];
  for (const h of hits) {
    const l = h.row.location_id as string;
    const d = h.row.date as string;
    const after = await aq
      .select(['date', 'pm25'])
      .filter(and(col('location_id').eq(l), col('date').between(addDays(d, 1), addDays(d, 3))))
      .read();
    const next = [1, 2, 3].map((i) => (after.find((r) => r.date === addDays(d, i))?.pm25 as number | null | undefined) ?? null);
    similar.push({ location_id: l, date: d, distance: h.distance, pm25: (h.row.pm25 as number | null) ?? null, next_days: next });
  }
  return { day: { location_id: location, date, pm25: (self.pm25 as number | null) ?? null }, similar };
}
