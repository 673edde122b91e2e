// Observed daily air quality for a location and date range, with each value's date and kind.
import { addDays, isoDateToEpochDays } from '../../core/dates.js';
import { ValidationError } from '../../core/errors.js';
import { and, col, type FeatureStore } from '../../store/index.js';
import { aqiCategory, concentrationToAqi } from '../features/aqi.js';
import { airSourceOf, type AirKind } from '../places/air-sources.js';
import { ageNote } from './data-age.js';
import { placeToday } from '../store-clock.js';
import { resolveLocation, type LocationInfo } from './locations.js';
import { weatherByDate, type DayWeather } from './weather.js';

export const MAX_RANGE_DAYS = 366;

export interface HistoryDay {
  date: string;
  pm25: number | null;
  pm25_max: number | null;
  pm10: number | null;
  no2: number | null;
  hours_measured: number | null;
  /** US AQI of the PM2.5 daily mean, its category and health advice (null without a PM2.5 value). */
  aqi: number | null;
  category: string | null;
  advice: string | null;
  /** observation (a sensor's measurement), model (CAMS model values), or synthetic / replayed for data that is not a live measurement. */
  kind: 'observation' | 'model' | 'synthetic' | 'replayed';
  /** The day's recorded weather (null when the store has none). */
  weather: DayWeather | null;
}

export interface History {
  location: LocationInfo;
  unit: 'µg/m³';
  start_date: string;
  end_date: string;
  days: HistoryDay[];
  /** Said when there are no measurements: no data is not clean air. */
  note?: string;
  /** Said when the asked range reaches the last days but the data stops earlier: how old the newest value is. */
  data_age: string | null;
  available: { first: string | null; last: string | null };
}

const KINDS: Record<AirKind, HistoryDay['kind']> = { measurement: 'observation', model: 'model', replayed: 'replayed', synthetic: 'synthetic' };

/** The kind of a day's values: from its row's pm25_source, else its place's source. */
export function kindOf(placeSource: string, rowSource: string | null = null): HistoryDay['kind'] {
  return KINDS[airSourceOf(rowSource, placeSource).kind];
}

/** The AQI, category and advice of a PM2.5 daily mean (µg/m³), or nulls when there is none. */
export function categoryOf(pm25: number | null): { aqi: number | null; category: string | null; advice: string | null } {
  const aqi = pm25 === null ? null : concentrationToAqi(pm25, 'pm25');
  if (aqi === null) return { aqi: null, category: null, advice: null };
  return { aqi, ...aqiCategory(aqi) };
}

/** Daily values of [start, end] (at most a year); with `today`, a note when the data stops days before it. */
export async function airQualityHistory(store: FeatureStore, location: string, start: string, end?: string, today?: string): Promise<History> {
  const loc = await resolveLocation(store, location);
  const last = end ?? addDays(start, MAX_RANGE_DAYS - 1);
  if (last < start) throw new ValidationError(`end_date ${last} is before start_date ${start}`);
  const span = isoDateToEpochDays(last) - isoDateToEpochDays(start) + 1;
  if (span > MAX_RANGE_DAYS)
    throw new ValidationError(`the range has ${span} days; ask for at most ${MAX_RANGE_DAYS} at a time (narrow start_date and end_date)`);
  const aq = store.getFeatureGroup('air_quality');
  const dates = (await aq.select(['location_id', 'date']).filter(col('location_id').eq(loc.location_id)).read()).map((r) => r.date as string).sort();
  const bounds = { first: dates[0] ?? null, last: dates.at(-1) ?? null };
  const labelled = aq.meta.schema?.some((c) => c.name === 'pm25_source') ?? false;
  const rows = await aq
    .select(['date', 'pm25', 'pm25_max', 'pm10', 'no2', 'hours_measured', ...(labelled ? ['pm25_source'] : [])])
    .filter(and(col('location_id').eq(loc.location_id), col('date').between(start, last)))
    .read();
  const weather = await weatherByDate(store, loc.location_id, start, last);
  const days = rows
    .map((r) => ({
      date: r.date as string,
      pm25: r.pm25 as number | null,
      pm25_max: r.pm25_max as number | null,
      pm10: r.pm10 as number | null,
      no2: r.no2 as number | null,
      hours_measured: r.hours_measured as number | null,
      ...categoryOf(r.pm25 as number | null),
      kind: kindOf(loc.source, (r.pm25_source as string | null | undefined) ?? null),
      weather: weather.get(r.date as string) ?? null,
    }))
    .sort((a, b) => a.date.localeCompare(b.date));
  const local = today === undefined ? undefined : placeToday(loc.timezone, today);
  const data_age =
    local !== undefined && bounds.last !== null && last > bounds.last ? ageNote('the newest observation here is from', bounds.last, local, 1) : null;
  const out: History = { location: loc, unit: 'µg/m³', start_date: start, end_date: last, days, available: bounds, data_age };
  if (days.length === 0) {
    out.note = `no measurements for ${loc.location_id} from ${start} to ${last} — that is missing data, not clean air. Data exists from ${bounds.first ?? '(none)'} to ${bounds.last ?? '(none)'}.`;
  }
  return out;
}
