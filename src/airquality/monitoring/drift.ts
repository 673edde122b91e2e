// Feature monitoring: each place's recent inputs to the forecaster against the same days of earlier years it was trained on (PSI per feature), judged against how much those years differed among themselves.
//
// A month of weather is one regime, not 30 independent draws, and a month differs from the same month of another year
// as a matter of course. Against a fixed PSI cut of 0.25, every Beijing station's 30 days up to 2017-02-21 drifted on
// 15-20 of its 24 inputs; the earlier years' same 30 days, each scored against the others, reach a 95th percentile PSI
// of 0.7 to 2.5 depending on the feature. So each feature's threshold is what the training years showed: each earlier
// year's window against the others (leave one year out), over every place; drift is a PSI above the 95th percentile of
// those scores (and above 0.25). On that window it leaves one alert (one station's pressure).
import { addDays } from '../../core/dates.js';
import { and, col, type FeatureStore, type Row } from '../../store/index.js';
import { storedForecastView } from '../forecast/view.js';
import { psi, PSI_DRIFT, PSI_WATCH } from './psi.js';

/** Columns of the forecast view that are not inputs to judge: keys, the label, the calendar. */
const NOT_MONITORED = new Set(['location_id', 'issue_date', 'date', 'days_ahead', 'day_before', 'two_days_before', 'day_of_year', 'pm25']);
/** The weather of the days before the target (prev_, prev2_) is the target day's series a day or two earlier: judged once, as that. */
const SHIFTED_COPY = /^prev2?_/;
/** Earlier years looked at, and the rows a year's window needs to count. */
const MAX_YEARS = 5;
const MIN_YEAR_ROWS = 10;
/** Year-against-year scores a feature needs for a threshold of its own. */
const MIN_SCORES = 20;

export interface FeatureDrift {
  feature: string;
  psi: number;
  /** The PSI above which this feature counts as drifted: the training years' 95th percentile, at least 0.25. */
  threshold: number;
  level: 'stable' | 'watch' | 'drift';
}

export interface PlaceDrift {
  location_id: string;
  /** Recent days judged, and the earlier years' rows of the same days they were compared with. */
  recent_days: number;
  reference_rows: number;
  reference_years: number;
  /** False when no place has two earlier years of these days: how much years differ is unknown, so nothing is judged. */
  judged: boolean;
  features: FeatureDrift[];
}

const numbers = (rows: readonly Row[], f: string) => rows.map((r) => r[f]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));

/** The numeric inputs of these rows: what the forecaster reads, without keys, label and calendar. */
export function monitoredFeatures(rows: readonly Row[]): string[] {
  const names = new Set<string>();
  for (const r of rows.slice(0, 50))
    for (const [k, v] of Object.entries(r)) if (!NOT_MONITORED.has(k) && !SHIFTED_COPY.test(k) && typeof v === 'number') names.add(k);
  return [...names].sort();
}

/** The q-quantile (nearest rank) of values. */
function nearestRank(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/**
 * Thresholds per feature from the earlier years: for each place, each year's rows against the other years' (a place's
 * `years` holds its windows of earlier years, each a list of rows). The 95th percentile of a feature's PSIs when there are
 * MIN_SCORES of them, else of every feature's together (a store with one place and two earlier years has two per
 * feature); at least PSI_DRIFT.
 */
export function thresholdsOf(places: readonly (readonly Row[][])[], features: readonly string[]): Map<string, number> {
  const scores = new Map<string, number[]>(features.map((f) => [f, []]));
  for (const years of places) {
    if (years.length < 2) continue;
    years.forEach((year, i) => {
      const others = years.filter((_, j) => j !== i).flat();
      for (const f of features) {
        const v = psi(numbers(others, f), numbers(year, f));
        if (Number.isFinite(v)) scores.get(f)!.push(v);
      }
    });
  }
  const pooled = [...scores.values()].flat();
  const p95 = (values: readonly number[]) => (values.length > 0 ? nearestRank(values, 0.95) : PSI_DRIFT);
  return new Map(features.map((f) => [f, Math.max(PSI_DRIFT, scores.get(f)!.length >= MIN_SCORES ? p95(scores.get(f)!) : p95(pooled))]));
}

/** PSI of every feature of `recent` against `reference`, levelled by the thresholds; largest first. */
export function driftOf(reference: readonly Row[], recent: readonly Row[], thresholds: ReadonlyMap<string, number>): FeatureDrift[] {
  return [...thresholds]
    .map(([feature, threshold]) => {
      const v = psi(numbers(reference, feature), numbers(recent, feature));
      const level: FeatureDrift['level'] = v > threshold ? 'drift' : v > Math.max(PSI_WATCH, threshold / 2) ? 'watch' : 'stable';
      return { feature, psi: Math.round(v * 1000) / 1000, threshold: Math.round(threshold * 1000) / 1000, level };
    })
    .filter((d) => Number.isFinite(d.psi))
    .sort((a, b) => b.psi - a.psi);
}

/** Each place's drift over the `windowDays` up to `today`, against the same days of earlier years up to `trainedThrough`. */
export async function featureDrift(
  store: FeatureStore,
  options: { today: string; windowDays: number; trainedThrough: string; location?: string },
): Promise<PlaceDrift[]> {
  const fv = storedForecastView(store);
  const start = addDays(options.today, -options.windowDays + 1);
  const rows = await fv
    .query()
    .filter(and(col('days_ahead').eq(1), col('date').le(options.today)))
    .read();
  const inWindow = (r: Row, from: string, to: string) => (r.date as string) >= from && (r.date as string) <= to;
  const recent = rows.filter((r) => inWindow(r, start, options.today));
  const features = monitoredFeatures(recent);
  const all = [...new Set(rows.map((r) => r.location_id as string))].sort();
  // Each place's windows of earlier years: the same calendar days, 365 days apart, of days the model was trained on.
  const yearsOf = (place: string): Row[][] =>
    Array.from({ length: MAX_YEARS }, (_, k) => {
      const [from, to] = [addDays(start, -365 * (k + 1)), addDays(options.today, -365 * (k + 1))];
      return rows.filter((r) => r.location_id === place && (r.date as string) <= options.trainedThrough && inWindow(r, from, to));
    }).filter((y) => y.length >= MIN_YEAR_ROWS);
  const years = new Map(all.map((l) => [l, yearsOf(l)]));
  // Without two earlier years somewhere, how much a window differs from year to year is unknown: a fixed cut would
  // flag most inputs (a live place's second year), so drift is not judged.
  const judged = [...years.values()].some((y) => y.length >= 2);
  const thresholds = thresholdsOf([...years.values()], features);
  const places = [...new Set(recent.map((r) => r.location_id as string))].filter((l) => !options.location || l === options.location).sort();
  return places.map((location_id) => {
    const mine = recent.filter((r) => r.location_id === location_id);
    // A place without earlier years (added after training): every place's earlier years are its reference.
    const own = years.get(location_id) ?? [];
    const reference = (own.length > 0 ? own : [...years.values()].flat()).flat();
    return {
      location_id,
      recent_days: mine.length,
      reference_rows: reference.length,
      reference_years: own.length,
      judged,
      features: judged ? driftOf(reference, mine, thresholds) : [],
    };
  });
}
