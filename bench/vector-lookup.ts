// Benchmark: getFeatureVector on a view joining two online groups, with two transformations, hot.
import { FeatureStore } from '../src/store/index.js';
import { percentile, rng, round, withScratchDir } from './common.js';

export interface VectorLookupResult {
  entities: number;
  lookups: number;
  p50_us: number;
  p99_us: number;
}

export async function benchVectorLookup(options: { entities?: number; lookups?: number } = {}): Promise<VectorLookupResult> {
  const entities = options.entities ?? 10_000;
  const lookups = options.lookups ?? 100_000;
  return withScratchDir(async (dir) => {
    const store = await FeatureStore.open({ dir });
    try {
      const random = rng(11);
      const air = await store.getOrCreateFeatureGroup({
        name: 'air',
        primaryKey: 'entity',
        eventTime: 'day',
        onlineEnabled: true,
        schema: [
          { name: 'entity', type: 'string' },
          { name: 'day', type: 'date' },
          { name: 'pm25', type: 'float' },
          { name: 'pm25_lag1', type: 'float' },
          { name: 'city', type: 'string' },
        ],
      });
      const weather = await store.getOrCreateFeatureGroup({
        name: 'weather',
        primaryKey: 'entity',
        eventTime: 'day',
        onlineEnabled: true,
        schema: [
          { name: 'entity', type: 'string' },
          { name: 'day', type: 'date' },
          { name: 'temp', type: 'float' },
          { name: 'wind', type: 'float' },
        ],
      });
      for (const day of ['2024-01-01', '2024-01-02']) {
        await air.insert(
          Array.from({ length: entities }, (_, i) => ({ entity: `e${i}`, day, pm25: random() * 100, pm25_lag1: random() * 100, city: `c${i % 7}` })),
        );
        await weather.insert(Array.from({ length: entities }, (_, i) => ({ entity: `e${i}`, day, temp: random() * 30, wind: random() * 10 })));
      }
      const fv = await store.getOrCreateFeatureView({
        name: 'lookup_bench',
        query: air.select(['entity', 'day', 'pm25', 'pm25_lag1', 'city']).join(weather.select(['temp', 'wind'])),
        labels: ['pm25'],
        transformations: { pm25_lag1: 'standardScaler', city: 'oneHotEncoder' },
      });
      const { version } = await fv.trainTestSplit({ testSize: 0.2, seed: 1 });
      await fv.initServing(version);
      const keys = Array.from({ length: lookups }, () => ({ entity: `e${Math.floor(random() * entities)}` }));
      for (let i = 0; i < 20_000; i++) await fv.getFeatureVector(keys[i % keys.length]!); // warm-up (JIT)
      const us = new Float64Array(lookups);
      for (let i = 0; i < lookups; i++) {
        const t0 = performance.now();
        await fv.getFeatureVector(keys[i]!);
        us[i] = (performance.now() - t0) * 1000;
      }
      const sorted = Array.from(us).sort((a, b) => a - b);
      return { entities, lookups, p50_us: round(percentile(sorted, 50), 2), p99_us: round(percentile(sorted, 99), 2) };
    } finally {
      await store.close();
    }
  });
}
