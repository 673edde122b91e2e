// Feature views for online serving: the current PM2.5 state and weather of a location, as a model or a tool would read it.
import type { FeatureStore, FeatureView } from '../store/index.js';
import { STATE_FEATURES, WEATHER_FEATURES } from './forecast/view.js';

export const STATE_VIEW = { name: 'pm25_state', version: 1 } as const;

/** Latest lags and rolling means of PM2.5 with the latest weather row (observed, or the newest forecast), per location. */
export function pm25StateView(store: FeatureStore): Promise<FeatureView> {
  const lags = store.getFeatureGroup('air_quality_lags');
  const weather = store.getFeatureGroup('weather');
  return store.getOrCreateFeatureView({
    ...STATE_VIEW,
    description: 'The PM2.5 state (lags, 3- and 7-day means) and the weather of a location, served online by get_feature_vector.',
    query: lags.select(['location_id', 'date', ...STATE_FEATURES]).join(weather.select([...WEATHER_FEATURES]), { prefix: 'weather_' }),
    labels: [],
  });
}
