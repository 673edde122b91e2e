// Benchmark: single-key getOnline on a group of 100k keys with 15 features, hot (after warm-up), against its floor in
// the same run: a bare Map of the same rows, looked up the same way (an awaited call), and the memory each takes per key.
import { FeatureStore, type Row } from '../src/store/index.js';
import { memoryInUse, percentile, rng, round, WIDE_SCHEMA, wideRow, withScratchDir } from './common.js';

export interface OnlineResult {
  keys: number;
  lookups: number;
  p50_us: number;
  p99_us: number;
  max_us: number;
  bytes_per_key: number;
  map_p50_us: number;
  map_bytes_per_key: number;
  ratio_p50_to_map: number;
}

/** Latencies in µs of `lookups` awaited calls of `get` over `order`, after a warm-up (JIT). */
async function time(get: (key: string) => Promise<unknown>, order: string[]): Promise<number[]> {
  for (let i = 0; i < 20_000; i++) await get(order[i % order.length]!);
  const us = new Float64Array(order.length);
  let missing = 0;
  for (let i = 0; i < order.length; i++) {
    const t0 = performance.now();
    const row = await get(order[i]!);
    us[i] = (performance.now() - t0) * 1000;
    if (row === undefined) missing++;
  }
  if (missing > 0) throw new Error(`online benchmark: ${missing} keys were missing`);
  return Array.from(us).sort((a, b) => a - b);
}

/** Two days of rows per key (so the online table has to pick the latest); the second day is the latest. */
function day(keys: number, d: number): Row[] {
  const random = rng(7 + d);
  return Array.from({ length: keys }, (_, i) => wideRow(i, keys, d, random)) as Row[];
}

async function fill(dir: string, keys: number): Promise<void> {
  const store = await FeatureStore.open({ dir });
  try {
    const fg = await store.getOrCreateFeatureGroup({ name: 'bench_online', primaryKey: 'entity', eventTime: 'day', onlineEnabled: true, schema: WIDE_SCHEMA });
    for (let d = 0; d < 2; d++) await fg.insert(day(keys, d));
  } finally {
    await store.close();
  }
}

export async function benchOnline(options: { keys?: number; lookups?: number } = {}): Promise<OnlineResult> {
  const keys = options.keys ?? 100_000;
  const lookups = options.lookups ?? 200_000;
  return withScratchDir(async (dir) => {
    await fill(dir, keys);
    // Loaded from the offline table, as after opening a store; memory is what stays after loading.
    const store = await FeatureStore.open({ dir });
    try {
      const group = store.getFeatureGroup('bench_online');
      const before = await memoryInUse();
      await group.loadOnline();
      const bytes = ((await memoryInUse()) - before) / keys;
      const random = rng(8);
      const order = Array.from({ length: lookups }, () => `e${Math.floor(random() * keys)}`);
      const sorted = await time((k) => group.getOnline(k), order);

      // The floor: the same latest rows in a bare Map, looked up through an async function as getOnline is.
      const m0 = await memoryInUse();
      const map = new Map(day(keys, 1).map((r) => [r.entity as string, r]));
      const mapBytes = ((await memoryInUse()) - m0) / keys;
      const mapSorted = await time(async (k) => map.get(k), order);
      const [p50, mapP50] = [percentile(sorted, 50), percentile(mapSorted, 50)];
      return {
        keys,
        lookups,
        p50_us: round(p50, 2),
        p99_us: round(percentile(sorted, 99), 2),
        max_us: round(sorted[sorted.length - 1]!, 1),
        bytes_per_key: Math.round(bytes),
        map_p50_us: round(mapP50, 2),
        map_bytes_per_key: Math.round(mapBytes),
        ratio_p50_to_map: round(p50 / mapP50, 2),
      };
    } finally {
      await store.close();
    }
  });
}
