// Benchmark: getOnline and getOnlineBatch on a Redis online store (100k keys x 15 features) against their floor in the same run: a bare GET and MGET of the same keys by a plain ioredis client, and the round trips a batch takes.
import type { Redis } from 'ioredis';
import { acquireRedis } from '../src/store/online/redis-connection.js';
import { parseOnlineStore } from '../src/core/config.js';
import { FeatureStore, type FeatureGroup, type Row } from '../src/store/index.js';
import { percentile, rng, round, WIDE_SCHEMA, wideRow, withScratchDir } from './common.js';

const BATCH = 100;

/** Sorted latencies in µs of `n` awaited calls of `fn(i)`, after `warm` unmeasured ones. */
async function time(n: number, warm: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warm; i++) await fn(i);
  const us = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    us[i] = (performance.now() - t0) * 1000;
  }
  return Array.from(us).sort((a, b) => a - b);
}

const stats = (sorted: number[]) => ({ p50: round(percentile(sorted, 50), 1), p99: round(percentile(sorted, 99), 1) });

/** Commands the server ran so far, by name (INFO commandstats), to count a batch's round trips. */
async function commandCalls(client: Redis): Promise<Map<string, number>> {
  const info = await client.info('commandstats');
  return new Map([...info.matchAll(/cmdstat_(\w+):calls=(\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
}

async function fill(dir: string, online: string, keys: number): Promise<void> {
  const store = await FeatureStore.open({ dir, online });
  try {
    const fg = await store.getOrCreateFeatureGroup({ name: 'bench_online', primaryKey: 'entity', eventTime: 'day', onlineEnabled: true, schema: WIDE_SCHEMA });
    for (let d = 0; d < 2; d++) {
      const random = rng(7 + d);
      await fg.insert(Array.from({ length: keys }, (_, i) => wideRow(i, keys, d, random)) as Row[]);
    }
  } finally {
    await store.close();
  }
}

async function batches(group: FeatureGroup, bare: Redis, order: string[], prefix: string, lookups: number) {
  const batchOf = (i: number) => Array.from({ length: BATCH }, (_, j) => order[(i * BATCH + j) % order.length]!);
  const n = Math.max(50, Math.floor(lookups / BATCH / 4));
  const before = await commandCalls(bare);
  const airq = await time(n, 0, (i) => group.getOnlineBatch(batchOf(i)));
  const after = await commandCalls(bare);
  const calls = [...after].reduce((s, [name, c]) => s + (name === 'info' ? 0 : c - (before.get(name) ?? 0)), 0);
  const floor = await time(n, 0, (i) => bare.mget(batchOf(i).map((k) => prefix + k)));
  return { batch_keys: BATCH, batches: n, batch: stats(airq), bare_mget: stats(floor), commands_per_batch: round(calls / n, 2) };
}

export async function benchOnlineRedis(url: string, options: { keys?: number; lookups?: number; log?: (s: string) => void } = {}) {
  const config = parseOnlineStore(url, '--online');
  if (config.kind !== 'redis') throw new Error('bench online --online needs a redis:// URL');
  const keys = options.keys ?? 100_000;
  const lookups = options.lookups ?? 20_000;
  const bareHandle = await acquireRedis(config); // the same connection the store uses: one a process, as airq has
  return withScratchDir(async (dir) => {
    options.log?.(`filling ${keys} keys x 2 days into ${config.url} through the store's writer`);
    const t0 = performance.now();
    await fill(dir, url, keys);
    const fillSeconds = (performance.now() - t0) / 1000;
    const store = await FeatureStore.open({ dir, online: url, readOnly: true });
    try {
      const group = store.getFeatureGroup('bench_online');
      const info = store.onlineStore;
      if (info.kind !== 'redis') throw new Error('expected a Redis online store');
      const prefix = `airq:${info.namespace}:g:bench_online:1:`;
      const random = rng(8);
      const order = Array.from({ length: lookups }, () => `e${Math.floor(random() * keys)}`);
      const bare = bareHandle.client;
      // Interleaved rounds, so that a noisy moment hits both alike.
      const single: number[] = [];
      const floor: number[] = [];
      for (let round = 0; round < 4; round++) {
        const part = order.slice((round * lookups) / 4, ((round + 1) * lookups) / 4);
        single.push(...(await time(part.length, round === 0 ? 2000 : 0, (i) => group.getOnline(part[i]!))));
        floor.push(...(await time(part.length, round === 0 ? 2000 : 0, (i) => bare.get(prefix + part[i]!))));
      }
      single.sort((a, b) => a - b);
      floor.sort((a, b) => a - b);
      const memory = Number(/used_memory:(\d+)/.exec(await bare.info('memory'))?.[1] ?? NaN);
      const [s, f] = [stats(single), stats(floor)];
      return {
        online: config.url,
        keys,
        fill_s: round(fillSeconds, 1),
        lookups,
        p50_us: s.p50,
        p99_us: s.p99,
        bare_get_p50_us: f.p50,
        bare_get_p99_us: f.p99,
        ratio_p99_to_bare_get: round(s.p99 / f.p99, 2),
        ...(await batches(group, bare, order, prefix, lookups)),
        redis_used_memory_mb: round(memory / 1e6, 1),
      };
    } finally {
      await store.close();
      await bareHandle.release();
    }
  });
}
