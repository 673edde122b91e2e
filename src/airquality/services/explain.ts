// Why a forecast says what it says: the logged forecast, the model version that made it, and its features' contributions.
import { NotFoundError } from '../../core/errors.js';
import { and, col, type FeatureStore } from '../../store/index.js';
import { forecasterOf } from '../forecast/forecast.js';
import { INTERVAL } from '../forecast/model.js';
import { MODEL_NAME } from '../forecast/train.js';
import { categoryOf } from './history.js';
import { resolveLocation } from './locations.js';

const WEATHER_WORDS: Record<string, string> = {
  temperature_mean: 'mean temperature, °C',
  dew_point_mean: 'dew point (humidity), °C',
  pressure_mean: 'air pressure, hPa',
  precipitation_sum: 'precipitation, mm',
  wind_speed_mean: 'mean wind speed, m/s',
  wind_speed_max: 'strongest wind, m/s',
  wind_u: 'eastward wind, m/s (negative: from the east)',
  wind_v: 'northward wind, m/s (negative: from the north)',
};

/** A feature name in words, with its unit. */
export function describeFeature(name: string): string {
  if (name === 'days_ahead') return 'days ahead of the issue date';
  if (name === 'day_of_year') return 'day of the year (season)';
  const change = /^(prev_)?change_(.+)$/.exec(name);
  if (change)
    return `${change[1] ? 'change from two days before to the day before' : 'change since the day before'} in ${WEATHER_WORDS[change[2]!] ?? change[2]}`;
  if (name.startsWith('prev2_')) return `${WEATHER_WORDS[name.slice(6)] ?? name.slice(6)}, two days before`;
  if (name.startsWith('prev_')) return `${WEATHER_WORDS[name.slice(5)] ?? name.slice(5)}, the day before`;
  if (name === 'issue_pm25') return 'PM2.5 on the issue date, µg/m³';
  if (name === 'issue_pm25_max') return 'highest hourly PM2.5 on the issue date, µg/m³';
  const lag = /^issue_pm25_(lag(\d)|mean_(\d)d)$/.exec(name);
  if (lag) return lag[2] ? `PM2.5 ${lag[2]} day(s) before the issue date, µg/m³` : `mean PM2.5 of the ${lag[3]} days to the issue date, µg/m³`;
  return WEATHER_WORDS[name] ? `${WEATHER_WORDS[name]}, on the day` : name;
}

export interface ForecastExplanation {
  location_id: string;
  date: string;
  issue_date: string;
  model: string;
  unit: 'µg/m³';
  pm25: number;
  /** US AQI category and health advice of the forecast value. */
  category: string | null;
  advice: string | null;
  baseline: number;
  drivers: { feature: string; meaning: string; value: number | null; contribution: number }[];
  /** The 80% interval and what makes it as wide as it is today. */
  interval: {
    level_percent: number;
    lower: number;
    upper: number;
    /** The uncertainty models' band (q90 − q10) today and on an average day, µg/m³. */
    band_width: number;
    typical_band_width: number;
    /** The features that widened (positive) or narrowed the band most, in µg/m³ of band. */
    wideners: { feature: string; meaning: string; value: number | null; widening: number }[];
  };
}

/** The latest forecast for `date` issued by `today`, explained: baseline + Σ contributions = the model's prediction. */
export async function explainForecast(store: FeatureStore, location: string, date: string, today: string, top = 8): Promise<ForecastExplanation> {
  const loc = await resolveLocation(store, location);
  const logged = store.listFeatureGroups().find((g) => g.name === 'aq_predictions');
  const rows = logged
    ? await logged
        .select(['location_id', 'date', 'issue_date', 'model_name', 'model_version'])
        .filter(and(col('location_id').eq(loc.location_id), col('date').eq(date), col('issue_date').le(today)))
        .read()
    : [];
  if (rows.length === 0) throw new NotFoundError(`no forecast for ${loc.location_id} on ${date} was issued by ${today}`, { recover: 'forecast_days' });
  const latest = rows.sort(
    (a, b) => (b.issue_date as string).localeCompare(a.issue_date as string) || (b.model_version as number) - (a.model_version as number),
  )[0]!;
  const model = store.registry.getModel(MODEL_NAME, latest.model_version as number);
  const forecaster = forecasterOf(model);
  const fv = await model.getFeatureView({ online: false });
  const batch = await fv.getBatchData({ entities: [{ location_id: loc.location_id, issue_date: latest.issue_date as string }] });
  const i = batch.keys.findIndex((k) => k.date === date);
  if (i < 0) throw new NotFoundError(`the features of the forecast for ${date} are no longer in the store`);
  const e = forecaster.explain(batch.features[i]!);
  const drivers = e.contributions
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, top)
    .map((c) => ({ feature: c.feature, meaning: describeFeature(c.feature), value: c.value, contribution: c.contribution }));
  const category = categoryOf(Math.max(0, e.prediction));
  const w = forecaster.explainInterval(batch.features[i]!);
  const wideners = w.drivers
    .sort((a, b) => Math.abs(b.widening) - Math.abs(a.widening))
    .slice(0, Math.min(top, 5))
    .map((d) => ({ feature: d.feature, meaning: describeFeature(d.feature), value: d.value, widening: d.widening }));
  return {
    location_id: loc.location_id,
    date,
    issue_date: latest.issue_date as string,
    model: `${model.name} v${model.version}`,
    unit: 'µg/m³',
    pm25: Math.max(0, e.prediction),
    category: category.category,
    advice: category.advice,
    baseline: e.bias,
    drivers,
    interval: {
      level_percent: Math.round(INTERVAL * 100),
      lower: w.lower,
      upper: w.upper,
      band_width: w.band_width,
      typical_band_width: w.typical_band_width,
      wideners,
    },
  };
}
