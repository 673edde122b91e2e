// The live feature pipeline of one place: observed and forecast weather from Open-Meteo, air quality from the
// place's sensor (aqicn, OpenAQ) or the CAMS model, each day labelled with where it came from. Every fetch
// happens before the place's one atomic write, so a source that fails or answers badly writes nothing.
import { addDays } from '../../core/dates.js';
import type { ProviderConfig } from '../../core/config.js';
import { ConfigError, ValidationError } from '../../core/errors.js';
import { and, col, type FeatureStore, type InputRow } from '../../store/index.js';
import { airQualityGroups, type AirQualityGroups } from '../feature-groups.js';
import { AIR_SOURCES, type AirSourceId } from '../places/air-sources.js';
import type { Location } from '../locations.js';
import type { FetchOptions } from '../http/fetch.js';
import { archiveWeather, forecastWeather, modelAirQuality } from '../sources/open-meteo.js';
import { aqicnCurrent } from '../sources/aqicn-api.js';
import { openAqDays, openAqLocation, type Pollutant } from '../sources/openaq.js';
import { sensorOf } from '../places/place-input.js';
import { lagRows } from './daily-rows.js';
import { pm25History, writeRun, type RunCommits } from './run-writer.js';
import { assertSourceFits, type StoreSource } from '../store-clock.js';

/** Days back the forecast API answers for (it keeps about three months); older days come from the archive. */
const RECENT_DAYS = 60;
export const FORECAST_DAYS = 7;

export interface Providers {
  config: ProviderConfig;
  fetch?: Partial<FetchOptions>;
  /** Said when a sensor cannot be read and CAMS stands in (the run goes on). */
  warn?: (message: string) => void;
}

/** Observed weather for [start, end] and the forecast issued on `end` for the next 7 days. */
async function placeWeather(place: Location, start: string, end: string, p: Providers): Promise<InputRow[]> {
  const split = start > addDays(end, -RECENT_DAYS + 1) ? start : addDays(end, -RECENT_DAYS + 1);
  const archived = start < split ? await archiveWeather(place, start, addDays(split, -1), p.config.openMeteo, p.fetch) : [];
  const recent = await forecastWeather(place, split, end, FORECAST_DAYS, p.config.openMeteo, p.fetch);
  return [...archived, ...recent];
}

const cams = (place: Location, start: string, end: string, p: Providers) => modelAirQuality(place, start, end, p.config.openMeteo, p.fetch);

/** Daily air quality from the place's OpenAQ location; days the sensor misses come from CAMS, labelled cams. */
async function openAqAir(place: Location, id: number, start: string, end: string, p: Providers): Promise<InputRow[]> {
  const key = p.config.openaq.key;
  if (!key) throw new ConfigError(`${place.location_id} reads OpenAQ location ${id}: set OPENAQ_API_KEY (a free key from explore.openaq.org)`);
  const config = { key, baseUrl: p.config.openaq.baseUrl };
  const location = await openAqLocation(config, id, p.fetch);
  const values: Partial<Record<Pollutant, Map<string, number>>> = {};
  for (const [pollutant, sensor] of Object.entries(location.sensors) as [Pollutant, { id: number; units: string }][]) {
    values[pollutant] = await openAqDays(config, pollutant, sensor, start, end, p.fetch);
  }
  const measured: InputRow[] = [...(values.pm25?.entries() ?? [])].map(([date, pm25]) => ({
    location_id: place.location_id,
    date,
    pm25,
    pm25_max: null,
    pm10: values.pm10?.get(date) ?? null,
    no2: values.no2?.get(date) ?? null,
    hours_measured: null,
    pm25_source: 'openaq',
  }));
  const have = new Set(measured.map((r) => r.date as string));
  const gaps = (await cams(place, start, end, p)).filter((r) => !have.has(r.date as string));
  return [...measured, ...gaps];
}

/** CAMS for the days before `end`; `end` itself from the aqicn station's current reading when it is from that day. */
async function aqicnAir(place: Location, feed: string, start: string, end: string, p: Providers): Promise<InputRow[]> {
  const model = await cams(place, start, end, p);
  const token = p.config.aqicn.token;
  if (!token) {
    p.warn?.(`${place.location_id}: AQICN_API_KEY is not set, so its sensor (aqicn:${feed}) is not read; CAMS model values stand in, labelled cams`);
    return model;
  }
  const r = await aqicnCurrent({ token, station: feed, baseUrl: p.config.aqicn.baseUrl }, p.fetch);
  if (r.date !== end || r.pm25 === null) {
    p.warn?.(`${place.location_id}: aqicn's latest reading for ${feed} is from ${r.date}, not ${end}; the station may be offline — CAMS stands in for ${end}`);
    return model;
  }
  const reading = {
    location_id: place.location_id,
    date: end,
    pm25: r.pm25,
    pm25_max: null,
    pm10: r.pm10,
    no2: null,
    hours_measured: null,
    pm25_source: 'aqicn',
  };
  return [...model.filter((m) => m.date !== end), reading];
}

/** The place's daily air quality for [start, end], from its sensor or the CAMS model. */
export function placeAir(place: Location, start: string, end: string, p: Providers): Promise<InputRow[]> {
  const sensor = sensorOf(place);
  if (sensor?.network === 'openaq') return openAqAir(place, Number(sensor.id), start, end, p);
  if (sensor?.network === 'aqicn') return aqicnAir(place, sensor.id, start, end, p);
  return cams(place, start, end, p);
}

/**
 * A day a sensor measured is never replaced by a CAMS value (a re-read day the sensor has not answered
 * for again): those rows are dropped, and the stored values come back for the lag series.
 */
async function keepMeasurements(groups: AirQualityGroups, id: string, start: string, end: string, rows: InputRow[]) {
  const stored = await groups.airQuality
    .select(['date', 'pm25', 'pm25_source'])
    .filter(and(col('location_id').eq(id), col('date').between(start, end)))
    .read();
  const measured = new Map(
    stored.filter((r) => AIR_SOURCES[r.pm25_source as AirSourceId]?.kind === 'measurement').map((r) => [r.date as string, r.pm25 as number | null]),
  );
  const air = rows.filter((r) => !(r.pm25_source === 'cams' && measured.has(r.date as string)));
  const kept = [...measured.entries()].filter(([date]) => !air.some((r) => r.date === date)).map(([date, value]) => ({ date, value }));
  return { air, kept };
}

export interface PlaceRun {
  location: string;
  days: number;
  forecastDays: number;
  commits: RunCommits;
}

/**
 * Brings one place to `end`: observations of [start, end] and the 7-day weather forecast issued on `end`,
 * written with the place's record and the store's source in one transaction.
 */
export async function runPlace(
  store: FeatureStore,
  place: Location,
  range: { start: string; end: string },
  source: StoreSource,
  p: Providers,
): Promise<PlaceRun> {
  const { start, end } = range;
  if (start > end) throw new ValidationError(`start ${start} is after end ${end}`);
  assertSourceFits(store, source); // before any fetch: a store of another dataset is refused at once
  const weather = await placeWeather(place, start, end, p);
  const fetched = (await placeAir(place, start, end, p)).filter((r) => (r.date as string) >= start && (r.date as string) <= end);
  const groups = await airQualityGroups(store);
  const { air, kept } = await keepMeasurements(groups, place.location_id, start, end, fetched);
  const series = [
    ...(await pm25History(groups, place.location_id, start)),
    ...kept,
    ...air.map((r) => ({ date: r.date as string, value: r.pm25 as number | null })),
  ];
  series.sort((a, b) => a.date.localeCompare(b.date));
  const commits = await writeRun(
    store,
    groups,
    { locations: [{ ...place }], air, weather, lags: lagRows(place.location_id, series).filter((r) => (r.date as string) >= start) },
    { source },
  );
  return { location: place.location_id, days: air.length, forecastDays: weather.filter((w) => w.is_forecast === true).length, commits };
}
