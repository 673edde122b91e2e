// The air-quality feature groups (version 1), with a description of every column: the data dictionary.
import { column, type FeatureGroup, type FeatureGroupSpecInput, type FeatureStore } from '../store/index.js';

/** One documented column of a group definition (the store's `column`, short for the long tables below). */
export const f = column;

export const LOCATIONS: FeatureGroupSpecInput = {
  name: 'locations',
  version: 1,
  description: 'Places airq has data for.',
  primaryKey: ['location_id'],
  onlineEnabled: true,
  schema: [
    f('location_id', 'string', 'Stable id, e.g. beijing-dongsi.'),
    f('name', 'string', 'Display name.'),
    f('city', 'string', 'City.'),
    f('country', 'string', 'ISO 3166-1 alpha-2 country code.'),
    f('latitude', 'float', 'Degrees north (WGS84); approximate for UCI Beijing stations.'),
    f('longitude', 'float', 'Degrees east (WGS84); approximate for UCI Beijing stations.'),
    f('timezone', 'string', 'IANA time zone; dates of this location are local dates in it.'),
    f(
      'source',
      'string',
      'Where its data comes from: uci-beijing, aqicn, synthetic, open-meteo (weather and CAMS air-quality model values), or a sensor: aqicn:FEED or openaq:LOCATION_ID (weather from Open-Meteo).',
    ),
    f('aliases', 'string', 'Other names, comma-separated, for matching what people type.'),
  ],
};

const PM25_SOURCE_DESCRIPTION =
  "Where the day's values came from: aqicn or openaq (sensor measurements), cams (CAMS model values from Open-Meteo, not measurements; also fills sensor gaps), uci-beijing (replayed archive) or synthetic; null in rows written before airq recorded it (then the place's source says).";

export const AIR_QUALITY: FeatureGroupSpecInput = {
  name: 'air_quality',
  version: 1,
  description: 'Daily air quality per location (local dates).',
  primaryKey: ['location_id'],
  eventTime: 'date',
  onlineEnabled: true,
  schema: [
    f('location_id', 'string', 'The location (see locations).'),
    f('date', 'date', 'Local calendar date of the measurements.'),
    f('pm25', 'float', 'PM2.5, µg/m³: mean of the hourly values; null when fewer than 18 hours were measured.'),
    f('pm25_max', 'float', 'PM2.5, µg/m³: highest hourly value of the day.'),
    f('pm10', 'float', 'PM10, µg/m³: daily mean (18-hour rule), where the source has it.'),
    f('no2', 'float', 'NO2, µg/m³: daily mean (18-hour rule), where the source has it.'),
    f('hours_measured', 'int', 'Hours with a PM2.5 value (0-24); daily sources give 24.'),
    f('pm25_source', 'string', PM25_SOURCE_DESCRIPTION),
  ],
  expectations: {
    name: 'air_quality_v1',
    policy: 'STRICT',
    expectations: [
      { kind: 'valuesBetween', column: 'pm25', min: 0, max: 1000 },
      { kind: 'notNull', column: 'date' },
      { kind: 'valuesBetween', column: 'hours_measured', min: 0, max: 24 },
    ],
  },
};

export const WEATHER: FeatureGroupSpecInput = {
  name: 'weather',
  version: 1,
  description: 'Daily weather per location: observations, and forecasts that later observations replace.',
  primaryKey: ['location_id'],
  eventTime: 'date',
  onlineEnabled: true,
  schema: [
    f('location_id', 'string', 'The location (see locations).'),
    f('date', 'date', 'Local calendar date the weather is for.'),
    f('temperature_mean', 'float', 'Air temperature, °C, daily mean (18-hour rule for hourly sources).'),
    f('dew_point_mean', 'float', 'Dew point, °C, daily mean.'),
    f('pressure_mean', 'float', 'Air pressure, hPa, daily mean.'),
    f('precipitation_sum', 'float', 'Precipitation, mm, daily total.'),
    f('wind_speed_mean', 'float', 'Wind speed, m/s, daily mean.'),
    f('wind_speed_max', 'float', 'Wind speed, m/s, daily maximum (of hourly means).'),
    f('wind_u', 'float', 'Mean wind vector, eastward component, m/s.'),
    f('wind_v', 'float', 'Mean wind vector, northward component, m/s.'),
    f('wind_direction', 'float', 'Direction of the mean wind vector, degrees clockwise from north, blowing from.'),
    f('wind_direction_dominant', 'string', 'Most frequent 16-point compass direction of the day.'),
    f('is_forecast', 'bool', 'True for a forecast, false for an observation.'),
    f('forecast_issued_on', 'date', 'The date a forecast was issued; null for observations.'),
  ],
};

export const AIR_QUALITY_LAGS: FeatureGroupSpecInput = {
  name: 'air_quality_lags',
  version: 1,
  description: 'PM2.5 state on each date from data up to that date only (model-independent transformations).',
  primaryKey: ['location_id'],
  eventTime: 'date',
  onlineEnabled: true,
  schema: [
    f('location_id', 'string', 'The location (see locations).'),
    f('date', 'date', 'The date the state is known on (uses data up to and including it).'),
    f('pm25_lag1', 'float', 'PM2.5 of the day before, µg/m³ (null when missing).'),
    f('pm25_lag2', 'float', 'PM2.5 two days before, µg/m³.'),
    f('pm25_lag3', 'float', 'PM2.5 three days before, µg/m³.'),
    f('pm25_lag7', 'float', 'PM2.5 seven days before, µg/m³.'),
    f('pm25_mean_3d', 'float', 'Mean PM2.5 of the 3 days ending on date, µg/m³ (at least 2 values).'),
    f('pm25_mean_7d', 'float', 'Mean PM2.5 of the 7 days ending on date, µg/m³ (at least 4 values).'),
  ],
};

export const AIR_QUALITY_GROUPS = [LOCATIONS, AIR_QUALITY, WEATHER, AIR_QUALITY_LAGS] as const;

export interface AirQualityGroups {
  locations: FeatureGroup;
  airQuality: FeatureGroup;
  weather: FeatureGroup;
  lags: FeatureGroup;
}

/**
 * Gets or creates a group; a stored version made before some of the spec's columns gets them first (null in its old
 * rows), so the definition compares equal (air_quality's pm25_source, forecast_targets' two_days_before).
 */
export async function getOrUpgradeGroup(store: FeatureStore, spec: FeatureGroupSpecInput): Promise<FeatureGroup> {
  const held = store.listFeatureGroups().find((g) => g.name === spec.name && g.version === spec.version);
  const stored = held?.meta.schema;
  const added = stored ? (spec.schema ?? []).filter((c) => !stored.some((s) => s.name === c.name)) : [];
  if (held && added.length > 0) await held.appendFeatures(added);
  return store.getOrCreateFeatureGroup(spec);
}

/** Creates (or gets) the groups; idempotent. Which source each row came from is in locations.source. */
export async function airQualityGroups(store: FeatureStore): Promise<AirQualityGroups> {
  const get = (spec: FeatureGroupSpecInput) => getOrUpgradeGroup(store, spec);
  return {
    locations: await get(LOCATIONS),
    airQuality: await get(AIR_QUALITY),
    weather: await get(WEATHER),
    lags: await get(AIR_QUALITY_LAGS),
  };
}
