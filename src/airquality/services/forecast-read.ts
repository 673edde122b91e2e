// The latest logged forecast for a location: the next 7 days with intervals, AQI categories, and where each value came from.
import { addDays } from '../../core/dates.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { and, col, type FeatureStore } from '../../store/index.js';
import { MAX_DAYS_AHEAD } from '../forecast/groups.js';
import { categoryOf } from './history.js';
import { resolveLocation, type LocationInfo } from './locations.js';
import { AnswerCache } from './answer-cache.js';
import { ageNote } from './data-age.js';
import { placeToday } from '../store-clock.js';
import { servedModel } from '../forecast/train.js';
import { weatherByDate, type DayWeather } from './weather.js';

export interface ForecastDay {
  date: string;
  days_ahead: number;
  pm25: number;
  pm25_lower: number;
  pm25_upper: number;
  aqi: number | null;
  category: string | null;
  /** The health advice of the category. */
  advice: string | null;
  kind: 'forecast';
  issue_date: string;
  model: string;
  /** True when the weather inputs were recorded weather replayed as a perfect forecast. */
  perfect_forecast: boolean;
  /** The day's weather forecast the store holds (null when it has none). */
  weather: DayWeather | null;
}

export interface ForecastAnswer {
  location: LocationInfo;
  unit: 'µg/m³';
  today: string;
  interval: '80% prediction interval';
  days: ForecastDay[];
  /** Said when the forecast was issued before today: the data has not been updated since. */
  data_age: string | null;
}

// Answers per (location, today, range), kept until the groups they read commit again (a chatty client asks the same thing often).
const cache = new AnswerCache<ForecastAnswer>(['locations', 'aq_predictions', 'weather']);

/** Forecast days in [start, end] (default: the 7 days after today), from the latest forecast issued up to today. */
export function readForecast(store: FeatureStore, location: string, today: string, start?: string, end?: string): Promise<ForecastAnswer> {
  return cache.get(store, JSON.stringify([location, today, start, end]), () => computeForecast(store, location, today, start, end));
}

async function computeForecast(store: FeatureStore, location: string, storeDay: string, start?: string, end?: string): Promise<ForecastAnswer> {
  const loc = await resolveLocation(store, location);
  const today = placeToday(loc.timezone, storeDay);
  const first = addDays(today, 1);
  const last = addDays(today, MAX_DAYS_AHEAD);
  const from = start ?? first;
  const to = end ?? (start ? start : last);
  if (to < from) throw new ValidationError(`end_date ${to} is before start_date ${from}`);
  if (from < first || to > last) {
    throw new ValidationError(`forecasts cover the ${MAX_DAYS_AHEAD} days after today (${today}): ${first} to ${last}`, { recover: 'history' });
  }
  const predictions = store.listFeatureGroups().find((g) => g.name === 'aq_predictions');
  const rows = predictions
    ? await predictions
        .selectAll()
        .filter(and(col('location_id').eq(loc.location_id), col('issue_date').le(today), col('date').between(from, to)))
        .read()
    : [];
  if (rows.length === 0)
    throw new NotFoundError(
      `no forecast for ${loc.location_id} issued by ${today} covers ${from} to ${to}: the store has not made one yet (its daily run makes the forecasts)`,
    );
  // Per date, the forecast of the latest issue; on that issue, the served model's, else the newest model's
  // (after a place is removed the served model may be an older version than one that also forecast that day).
  const served = await servedModel(store, { issuedOn: today }).catch(() => undefined);
  const rank = (r: (typeof rows)[number]) => (served && r.model_name === served.name && r.model_version === served.version ? 1e9 : (r.model_version as number));
  const best = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const seen = best.get(r.date as string);
    const newer = !seen || (r.issue_date as string) > (seen.issue_date as string) || (r.issue_date === seen.issue_date && rank(r) > rank(seen));
    if (newer) best.set(r.date as string, r);
  }
  const weather = await weatherByDate(store, loc.location_id, from, to);
  const days = [...best.values()]
    .map((r) => {
      return {
        date: r.date as string,
        days_ahead: r.days_ahead as number,
        pm25: r.pm25 as number,
        pm25_lower: r.pm25_lower as number,
        pm25_upper: r.pm25_upper as number,
        ...categoryOf(r.pm25 as number),
        kind: 'forecast' as const,
        issue_date: r.issue_date as string,
        model: `${r.model_name} v${r.model_version}`,
        perfect_forecast: r.perfect_forecast === true,
        weather: weather.get(r.date as string) ?? null,
      };
    })
    .sort((a, b) => a.date.localeCompare(b.date));
  const issued = days.map((d) => d.issue_date).sort()[0];
  return {
    location: loc,
    unit: 'µg/m³',
    today,
    interval: '80% prediction interval',
    days,
    data_age: issued ? ageNote('this forecast was issued', issued, today, 0) : null,
  };
}
