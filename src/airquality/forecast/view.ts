// The feature view air_quality_fv: a target date's weather (forecast at issue time) and the PM2.5 state on the issue date.
import { ValidationError } from '../../core/errors.js';
import type { FeatureStore, FeatureView } from '../../store/index.js';
import { forecastTargets } from './targets.js';

// Version 2 added the weather of two days before the target day (v1's models still load; a store trains v2 on its next run).
export const FORECAST_VIEW = { name: 'air_quality_fv', version: 2 } as const;

export const WEATHER_FEATURES = [
  'temperature_mean',
  'dew_point_mean',
  'pressure_mean',
  'precipitation_sum',
  'wind_speed_mean',
  'wind_speed_max',
  'wind_u',
  'wind_v',
] as const;

export const STATE_FEATURES = ['pm25_lag1', 'pm25_lag2', 'pm25_lag3', 'pm25_lag7', 'pm25_mean_3d', 'pm25_mean_7d'] as const;

/**
 * Label: PM2.5 on the target date. Features: the weather of the target date and of the two days before (prefixes prev_, prev2_),
 * matched on the exact dates (a forecast issued on the issue date for future days; observed weather
 * in history and in replay), and the state on the issue date — that day's PM2.5 and max (prefix issue_) and its lags — joined on
 * the issue date, so nothing observed after the issue date can leak in. The horizon and the
 * day of the year come from the target row.
 */
export async function forecastView(store: FeatureStore): Promise<FeatureView> {
  const targets = await forecastTargets(store);
  const weather = store.getFeatureGroup('weather');
  const aq = store.getFeatureGroup('air_quality');
  const lags = store.getFeatureGroup('air_quality_lags');
  const onIssueDate = { leftOn: ['location_id', 'issue_date'], rightOn: ['location_id', 'date'], prefix: 'issue_' };
  const query = targets
    .select(['location_id', 'issue_date', 'date', 'days_ahead', 'day_before', 'two_days_before', 'day_of_year', 'pm25'])
    .join(weather.select([...WEATHER_FEATURES]), { leftOn: ['location_id', 'date'], rightOn: ['location_id', 'date'] })
    .join(weather.select([...WEATHER_FEATURES]), { leftOn: ['location_id', 'day_before'], rightOn: ['location_id', 'date'], prefix: 'prev_' })
    .join(weather.select([...WEATHER_FEATURES]), { leftOn: ['location_id', 'two_days_before'], rightOn: ['location_id', 'date'], prefix: 'prev2_' })
    .join(aq.select(['pm25', 'pm25_max']), onIssueDate)
    .join(lags.select([...STATE_FEATURES]), onIssueDate);
  return store.getOrCreateFeatureView({
    ...FORECAST_VIEW,
    description:
      'Daily PM2.5 1-7 days ahead from the weather of the target day and the two days before and the PM2.5 state on the issue date (point-in-time correct).',
    query,
    labels: ['pm25'],
    // Where and when each row is (held-out locations, per-location metrics); day_before and two_days_before are only join keys.
    trainingHelperColumns: ['location_id', 'date', 'day_before', 'two_days_before'],
  });
}

/**
 * The forecast view as it is in the store, for readers (monitoring): nothing is created or migrated. A store that has no
 * current version yet (made by an older airq, or never trained) is told how to get one.
 */
export function storedForecastView(store: FeatureStore): FeatureView {
  const has = store.listFeatureViews().some((v) => v.name === FORECAST_VIEW.name && v.version === FORECAST_VIEW.version);
  if (!has)
    throw new ValidationError(
      `the store has no ${FORECAST_VIEW.name} v${FORECAST_VIEW.version} yet (the forecaster's inputs); run \`airq run\` or \`airq train\` to make it`,
    );
  return store.getFeatureView(FORECAST_VIEW.name, FORECAST_VIEW.version);
}
