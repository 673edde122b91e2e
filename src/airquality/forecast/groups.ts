// The forecasting feature groups: forecast targets (the label spine) and logged predictions.
import type { FeatureGroupSpecInput } from '../../store/index.js';
import { f } from '../feature-groups.js';

/** Horizons airq forecasts: 1 to 7 days ahead. */
export const MAX_DAYS_AHEAD = 7;

export const FORECAST_TARGETS: FeatureGroupSpecInput = {
  name: 'forecast_targets',
  version: 1,
  description: 'What a 1-7 day forecast issued on one date must predict for another: the label spine of air_quality_fv.',
  primaryKey: ['location_id', 'issue_date'],
  eventTime: 'date',
  schema: [
    f('location_id', 'string', 'The location (see locations).'),
    f('issue_date', 'date', 'The day the forecast is made, at its end; only data up to it is used (weather forecasts aside).'),
    f('date', 'date', 'Target date: the day the forecast is for.'),
    f('days_ahead', 'int', 'Horizon in days: date minus issue_date (1-7).'),
    f('day_before', 'date', "date minus one day: the key to the previous day's weather (PM2.5 builds up over stagnant days)."),
    f('two_days_before', 'date', 'date minus two days: the key to the weather two days before (how the weather changed into the day).'),
    f('day_of_year', 'int', 'Day of the year of date (1-366): the season.'),
    f('pm25', 'float', 'Label: observed daily PM2.5 on date, µg/m³ (from air_quality); null until it is observed.'),
  ],
  expectations: {
    name: 'forecast_targets_v1',
    policy: 'STRICT',
    expectations: [
      { kind: 'valuesBetween', column: 'days_ahead', min: 1, max: MAX_DAYS_AHEAD },
      { kind: 'valuesBetween', column: 'pm25', min: 0, max: 1000 },
      { kind: 'notNull', column: 'issue_date' },
    ],
  },
};

export const AQ_PREDICTIONS: FeatureGroupSpecInput = {
  name: 'aq_predictions',
  version: 1,
  description: 'Every forecast airq made, kept as issued (never updated), for hindcasts and monitoring.',
  primaryKey: ['location_id', 'issue_date', 'model_name', 'model_version'],
  eventTime: 'date',
  schema: [
    f('location_id', 'string', 'The location (see locations).'),
    f('date', 'date', 'Target date of the forecast.'),
    f('issue_date', 'date', 'The day the forecast was made.'),
    f('days_ahead', 'int', 'date minus issue_date, in days (1-7).'),
    f('pm25', 'float', 'Predicted daily mean PM2.5, µg/m³.'),
    f('pm25_lower', 'float', 'Lower end of the 80% prediction interval (10th percentile), µg/m³.'),
    f('pm25_upper', 'float', 'Upper end of the 80% prediction interval (90th percentile), µg/m³.'),
    f('model_name', 'string', 'Registry name of the model that made it.'),
    f('model_version', 'int', 'Registry version of that model.'),
    f('perfect_forecast', 'bool', 'True when the weather inputs were recorded weather replayed as a perfect forecast.'),
  ],
};

export const FORECAST_GROUPS = [FORECAST_TARGETS, AQ_PREDICTIONS] as const;
