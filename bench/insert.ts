// Benchmark: upsert 100k rows (validation and statistics on) into a group that already holds 1M rows.
import { FeatureStore } from '../src/store/index.js';
import { percentile, rng, round, WIDE_SCHEMA, wideRow, withScratchDir } from './common.js';

export interface InsertResult {
  rows: number;
  existing_rows: number;
  rows_per_s: number;
  commit_ms: number;
  rows_updated: number;
}

const KEYS = 100_000;
const REPEATS = 3;

export async function benchInsert(options: { existing?: number; rows?: number; log?: (s: string) => void } = {}): Promise<InsertResult> {
  const existing = options.existing ?? 1_000_000;
  const n = options.rows ?? 100_000;
  const log = options.log ?? (() => undefined);
  return withScratchDir(async (dir) => {
    const store = await FeatureStore.open({ dir });
    try {
      const fg = await store.getOrCreateFeatureGroup({
        name: 'bench_insert',
        primaryKey: 'entity',
        eventTime: 'day',
        onlineEnabled: true,
        schema: WIDE_SCHEMA,
        expectations: {
          policy: 'STRICT',
          expectations: [
            { kind: 'notNull', column: 'f0' },
            { kind: 'valuesBetween', column: 'f1', min: 0, max: 100 },
            { kind: 'valuesBetween', column: 'f2', min: 0, max: 100 },
          ],
        },
      });
      const random = rng(42);
      const step = 100_000;
      for (let start = 0; start < existing; start += step) {
        const count = Math.min(step, existing - start);
        await fg.insert(Array.from({ length: count }, (_, j) => wideRow(start + j, KEYS, 0, random)));
        log(`loaded ${start + count} of ${existing} existing rows`);
      }
      await fg.loadOnline(); // the online table is kept in step, as in serving
      // Each measured batch half-updates the last day and half-inserts the next one. Three batches,
      // reporting the median, because one commit on a 2-core machine is noisy.
      const times: number[] = [];
      let updated = 0;
      for (let r = 0; r < REPEATS; r++) {
        const first = existing - KEYS / 2 + r * (KEYS / 2);
        const batch = Array.from({ length: n }, (_, j) => wideRow(first + j, KEYS, 0, random));
        const t0 = performance.now();
        const commit = await fg.insert(batch);
        times.push(performance.now() - t0);
        updated = commit!.rowsUpdated;
        log(`measured upsert ${r + 1} of ${REPEATS}: ${round(times[r]!)} ms`);
      }
      const ms = percentile(
        [...times].sort((a, b) => a - b),
        50,
      );
      return {
        rows: n,
        existing_rows: existing,
        rows_per_s: Math.round(n / (ms / 1000)),
        commit_ms: round(ms),
        rows_updated: updated,
      };
    } finally {
      await store.close();
    }
  });
}
