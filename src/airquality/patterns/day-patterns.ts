// Day patterns: each location-day as numeric vectors (its weather and the day before's, plus the PM2.5 before it), indexed for "days like this one".
import { addDays } from '../../core/dates.js';
import { col, type FeatureGroup, type FeatureGroupSpecInput, type FeatureStore, type Row } from '../../store/index.js';
import { f } from '../feature-groups.js';

/** Recorded with the vectors: a change to the layout or scales below needs a new id (and a new group version). */
export const PATTERN_MODEL = 'day-pattern-v1';

/**
 * Fixed physical scales (centre, spread) rather than fitted z-scores, so that a vector never
 * changes when more data arrives and the daily pipeline can add days one at a time.
 */
const WEATHER_SCALES: [string, number, number][] = [
  ['temperature_mean', 12, 10],
  ['dew_point_mean', 2, 10],
  ['pressure_mean', 1013, 10],
  ['precipitation_sum', 0, 5],
  ['wind_u', 0, 3],
  ['wind_v', 0, 3],
  ['wind_speed_max', 4, 4],
];
const STATE = ['pm25_lag1', 'pm25_lag2', 'pm25_mean_7d'] as const;
export const WEATHER_DIM = WEATHER_SCALES.length * 2;
export const PATTERN_DIM = WEATHER_DIM + STATE.length;

export const DAY_PATTERNS: FeatureGroupSpecInput = {
  name: 'day_patterns',
  version: 1,
  description: "Each location-day as numeric vectors: its weather and the day before's, and the PM2.5 before it (for similar days and analog forecasts).",
  primaryKey: ['location_id', 'date'],
  schema: [
    f('location_id', 'string', 'The location (see locations).'),
    f('date', 'date', 'The day.'),
    f('pm25', 'float', 'Observed daily PM2.5 that day, µg/m³ (the outcome an analog contributes).'),
    {
      ...f(
        'weather_vec',
        'vector',
        `Weather of the day and the day before, on fixed scales (${PATTERN_MODEL}): temperature, dew point, pressure, precipitation, wind u/v, max wind.`,
      ),
      dim: WEATHER_DIM,
    },
    { ...f('pattern_vec', 'vector', `weather_vec plus log PM2.5 of the two days before and of the 7-day mean (${PATTERN_MODEL}).`), dim: PATTERN_DIM },
  ],
  embeddingIndex: [
    { column: 'weather_vec', metric: 'l2', model: PATTERN_MODEL },
    { column: 'pattern_vec', metric: 'l2', model: PATTERN_MODEL },
  ],
};

const scaled = (v: unknown, centre: number, spread: number) => (typeof v === 'number' ? (v - centre) / spread : 0);
const logPm = (v: unknown) => (typeof v === 'number' ? Math.log1p(v) / 1.5 - 2.5 : 0);

/** The weather vector of a day from its weather row and the day before's (missing values sit at the centre). */
export function weatherVector(day: Row, dayBefore: Row | undefined): number[] {
  const block = (r: Row | undefined) =>
    WEATHER_SCALES.map(([name, c, s]) => (name === 'precipitation_sum' ? Math.log1p(Math.max(0, (r?.[name] as number) ?? 0)) / 1.5 : scaled(r?.[name], c, s)));
  return [...block(day), ...block(dayBefore)];
}

export function patternVector(weather: number[], lags: Row | undefined): number[] {
  return [...weather, ...STATE.map((s) => logPm(lags?.[s]))];
}

export async function dayPatternsGroup(store: FeatureStore): Promise<FeatureGroup> {
  return store.getOrCreateFeatureGroup(DAY_PATTERNS);
}

/**
 * Writes the pattern of every location-day with an observed PM2.5 and observed weather (from
 * `since` on, default all). Idempotent: unchanged days are not rewritten.
 */
export async function writeDayPatterns(store: FeatureStore, options: { since?: string } = {}): Promise<{ days: number; inserted: number; updated: number }> {
  const since = options.since;
  const from = since ? addDays(since, -1) : undefined;
  const read = async (name: string, columns: string[]) => {
    let q = store.getFeatureGroup(name).select(columns);
    if (from) q = q.filter(col('date').ge(from));
    return q.read();
  };
  const weather = await read('weather', ['location_id', 'date', 'is_forecast', ...WEATHER_SCALES.map(([n]) => n)]);
  const aq = await read('air_quality', ['location_id', 'date', 'pm25']);
  const lags = await read('air_quality_lags', ['location_id', 'date', ...STATE]);
  const key = (r: Row) => `${r.location_id}|${r.date}`;
  const observed = new Map(weather.filter((w) => w.is_forecast !== true).map((w) => [key(w), w]));
  const lagBy = new Map(lags.map((l) => [key(l), l]));
  const rows: Row[] = [];
  for (const a of aq) {
    if (a.pm25 === null || (since && (a.date as string) < since)) continue;
    const day = observed.get(key(a));
    if (!day) continue;
    const before = observed.get(`${a.location_id}|${addDays(a.date as string, -1)}`);
    const w = weatherVector(day, before);
    rows.push({ location_id: a.location_id!, date: a.date!, pm25: a.pm25!, weather_vec: w, pattern_vec: patternVector(w, lagBy.get(key(a))) });
  }
  const commit = await (await dayPatternsGroup(store)).insert(rows);
  return { days: rows.length, inserted: commit?.rowsInserted ?? 0, updated: commit?.rowsUpdated ?? 0 };
}
