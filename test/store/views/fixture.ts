// A small two-group store for feature-view tests: air quality (labels and features) and weather.
import type { FeatureStore } from '../../../src/store/index.js';

export async function airAndWeather(store: FeatureStore) {
  const air = await store.getOrCreateFeatureGroup({
    name: 'air',
    primaryKey: 'loc',
    eventTime: 'date',
    onlineEnabled: true,
    schema: [
      { name: 'loc', type: 'string' },
      { name: 'date', type: 'date' },
      { name: 'pm25', type: 'float' },
      { name: 'pm25_lag1', type: 'float' },
      { name: 'city', type: 'string' },
    ],
  });
  const weather = await store.getOrCreateFeatureGroup({
    name: 'weather',
    primaryKey: 'loc',
    eventTime: 'date',
    onlineEnabled: true,
    schema: [
      { name: 'loc', type: 'string' },
      { name: 'date', type: 'date' },
      { name: 'temp', type: 'float' },
      { name: 'wind', type: 'float' },
    ],
  });
  const days = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-06'];
  const locs = [
    ['a', 'north'],
    ['b', 'south'],
    ['c', 'north'],
  ] as const;
  await air.insert(
    locs.flatMap(([loc, city], li) =>
      days.map((date, di) => ({ loc, date, pm25: 10 * (li + 1) + di, pm25_lag1: di === 0 ? null : 10 * (li + 1) + di - 1, city })),
    ),
  );
  await weather.insert(locs.flatMap(([loc], li) => days.map((date, di) => ({ loc, date, temp: li + di * 0.5, wind: 5 - di }))));
  return { air, weather, days };
}
