// Benchmark: upsert 100k rows (validation and statistics on) into a group that already holds 1M rows, against its floor
// in the same run: the same rows upserted into the same table shape in plain DuckDB (appender, then INSERT OR REPLACE).
import { DuckDBInstance } from '@duckdb/node-api';
import { toChunks } from '../src/store/db/values.js';
import { FeatureStore, type InputRow, type Row } from '../src/store/index.js';
import { percentile, rng, round, WIDE_SCHEMA, wideRow, withScratchDir } from './common.js';

export interface InsertResult {
  rows: number;
  existing_rows: number;
  rows_per_s: number;
  commit_ms: number;
  rows_updated: number;
  duckdb_rows_per_s: number;
  ratio_to_duckdb: number;
}

const KEYS = 100_000;
const REPEATS = 3;
const STEP = 100_000;

/**
 * The benchmark's batches, the same in both runs: the existing rows in batches of STEP, then REPEATS measured
 * batches that each half-update the last day and half-insert the next one.
 */
function* batches(existing: number, n: number): Generator<{ measured: boolean; rows: InputRow[] }> {
  const random = rng(42);
  for (let start = 0; start < existing; start += STEP) {
    yield { measured: false, rows: Array.from({ length: Math.min(STEP, existing - start) }, (_, j) => wideRow(start + j, KEYS, 0, random)) };
  }
  for (let r = 0; r < REPEATS; r++) {
    const first = existing - KEYS / 2 + r * (KEYS / 2);
    yield { measured: true, rows: Array.from({ length: n }, (_, j) => wideRow(first + j, KEYS, 0, random)) };
  }
}

const median = (times: number[]) =>
  percentile(
    [...times].sort((a, b) => a - b),
    50,
  );

async function airq(dir: string, existing: number, n: number, log: (s: string) => void) {
  // Read snapshots are published at close, as for a bulk load: the floor publishes none either.
  const store = await FeatureStore.open({ dir, publish: 'close' });
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
    const times: number[] = [];
    let updated = 0;
    for (const b of batches(existing, n)) {
      if (!b.measured) {
        await fg.insert(b.rows);
        continue;
      }
      if (times.length === 0) await fg.loadOnline(); // the online table is kept in step, as in serving
      const t0 = performance.now();
      const commit = await fg.insert(b.rows);
      times.push(performance.now() - t0);
      updated = commit!.rowsUpdated;
      log(`airq upsert ${times.length} of ${REPEATS}: ${round(times.at(-1)!)} ms`);
    }
    return { ms: median(times), updated };
  } finally {
    await store.close();
  }
}

/** The floor: a table keyed on (entity, day); each batch appended to a staging table and upserted in one transaction. */
async function plainDuckdb(dir: string, existing: number, n: number, log: (s: string) => void): Promise<number> {
  const instance = await DuckDBInstance.create(`${dir}/plain.duckdb`);
  const conn = await instance.connect();
  try {
    const columns = WIDE_SCHEMA.map((f) => `${f.name} ${f.type === 'string' ? 'VARCHAR' : f.type === 'date' ? 'DATE' : 'DOUBLE'}`).join(', ');
    await conn.run(`CREATE TABLE t (${columns}, PRIMARY KEY (entity, day))`);
    const times: number[] = [];
    for (const b of batches(existing, n)) {
      const t0 = performance.now();
      await conn.run('BEGIN TRANSACTION');
      await conn.run(`CREATE TABLE staging (${columns})`);
      const appender = await conn.createAppender('staging');
      for (const chunk of toChunks(WIDE_SCHEMA, b.rows as Row[])) appender.appendDataChunk(chunk);
      appender.closeSync();
      await conn.run('INSERT OR REPLACE INTO t SELECT * FROM staging');
      await conn.run('DROP TABLE staging');
      await conn.run('COMMIT');
      if (b.measured) {
        times.push(performance.now() - t0);
        log(`plain DuckDB upsert ${times.length} of ${REPEATS}: ${round(times.at(-1)!)} ms`);
      }
    }
    return median(times);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

export async function benchInsert(options: { existing?: number; rows?: number; log?: (s: string) => void } = {}): Promise<InsertResult> {
  const existing = options.existing ?? 1_000_000;
  const n = options.rows ?? 100_000;
  const log = options.log ?? (() => undefined);
  return withScratchDir(async (dir) => {
    const ours = await airq(dir, existing, n, log);
    const floorMs = await plainDuckdb(dir, existing, n, log);
    return {
      rows: n,
      existing_rows: existing,
      rows_per_s: Math.round(n / (ours.ms / 1000)),
      commit_ms: round(ours.ms),
      rows_updated: ours.updated,
      duckdb_rows_per_s: Math.round(n / (floorMs / 1000)),
      ratio_to_duckdb: round(floorMs / ours.ms, 2),
    };
  });
}
