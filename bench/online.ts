// Benchmark: single-key getOnline on a group of 100k keys with 15 features, hot (after warm-up).
import { FeatureStore } from '../src/store/index.js';
import { percentile, rng, round, WIDE_SCHEMA, wideRow, withScratchDir } from './common.js';

export interface OnlineResult {
  keys: number;
  lookups: number;
  p50_us: number;
  p99_us: number;
  max_us: number;
}

export async function benchOnline(options: { keys?: number; lookups?: number } = {}): Promise<OnlineResult> {
  const keys = options.keys ?? 100_000;
  const lookups = options.lookups ?? 200_000;
  return withScratchDir(async (dir) => {
    const store = await FeatureStore.open({ dir });
    try {
      const fg = await store.getOrCreateFeatureGroup({
        name: 'bench_online',
        primaryKey: 'entity',
        eventTime: 'day',
        onlineEnabled: true,
        schema: WIDE_SCHEMA,
      });
      const random = rng(7);
      // Two days per key, so the online table has to pick the latest.
      for (let day = 0; day < 2; day++) {
        await fg.insert(Array.from({ length: keys }, (_, i) => wideRow(i, keys, day, random)));
      }
      await fg.loadOnline();
      const order = Array.from({ length: lookups }, () => `e${Math.floor(random() * keys)}`);
      for (let i = 0; i < 20_000; i++) await fg.getOnline(order[i % order.length]!); // warm-up (JIT)
      const us = new Float64Array(lookups);
      let found = 0;
      for (let i = 0; i < lookups; i++) {
        const t0 = performance.now();
        const row = await fg.getOnline(order[i]!);
        us[i] = (performance.now() - t0) * 1000;
        if (row !== undefined) found++;
      }
      if (found !== lookups) throw new Error(`online benchmark: ${lookups - found} keys were missing`);
      const sorted = Array.from(us).sort((a, b) => a - b);
      return {
        keys,
        lookups,
        p50_us: round(percentile(sorted, 50), 2),
        p99_us: round(percentile(sorted, 99), 2),
        max_us: round(sorted[sorted.length - 1]!, 1),
      };
    } finally {
      await store.close();
    }
  });
}
