// Benchmark: training data for 1M label rows joined point-in-time against two feature groups of 1M rows (10k entities),
// against its floor (the same ASOF join in plain DuckDB, read out to columns), each side in its own process for its peak memory.
import { FeatureStore, type FeatureGroup, type InputRow } from '../src/store/index.js';
import { execFile } from 'node:child_process';
import { benchProcessScript, rng, round, withScratchDir } from './common.js';

export interface PitResult {
  label_rows: number;
  feature_groups: number;
  /** Training data as columns (`returnType: 'columns'`), median of three builds. */
  seconds: number;
  rows_per_s: number;
  peak_rss_mb: number;
  duckdb_seconds: number;
  duckdb_peak_rss_mb: number;
  ratio_to_duckdb: number;
  memory_ratio_to_duckdb: number;
  /** Training data as row objects (the default). */
  rows_seconds: number;
  rows_peak_rss_mb: number;
}

const ENTITIES = 10_000;
const T0 = Date.UTC(2020, 0, 1);
const HOUR = 3_600_000;

async function fill(fg: FeatureGroup, rows: number, offsetHours: number, features: string[], seed: number, log: (s: string) => void) {
  const random = rng(seed);
  const batch = 250_000;
  for (let start = 0; start < rows; start += batch) {
    const n = Math.min(batch, rows - start);
    const out: InputRow[] = new Array(n);
    for (let j = 0; j < n; j++) {
      const i = start + j;
      const row: InputRow = { entity: `e${i % ENTITIES}`, ts: new Date(T0 + (Math.floor(i / ENTITIES) * 24 + offsetHours) * HOUR) };
      for (const f of features) row[f] = round(random() * 100, 2);
      out[j] = row;
    }
    await fg.insert(out);
    log(`${fg.name}: ${start + n} of ${rows} rows`);
  }
}

interface Side {
  seconds: number;
  peak_rss_mb: number;
}

/** One side of the benchmark in its own process (bench/pit-process.ts), for its own time and peak memory. */
function side(mode: 'columns' | 'rows' | 'duckdb', dir: string, rows: number): Promise<Side> {
  return new Promise((resolve, reject) => {
    const script = benchProcessScript('pit-process');
    execFile(process.execPath, [script, mode, dir, String(rows)], { maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`pit benchmark (${mode}) failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as Side);
    });
  });
}

export async function benchPit(options: { rows?: number; log?: (s: string) => void } = {}): Promise<PitResult> {
  const rows = options.rows ?? 1_000_000;
  const log = options.log ?? (() => undefined);
  return withScratchDir(async (dir) => {
    const store = await FeatureStore.open({ dir, publish: 'close' });
    let n: number;
    try {
      const group = (name: string, features: string[]) =>
        store.getOrCreateFeatureGroup({
          name,
          primaryKey: 'entity',
          eventTime: 'ts',
          schema: [{ name: 'entity', type: 'string' }, { name: 'ts', type: 'timestamp' }, ...features.map((f) => ({ name: f, type: 'float' as const }))],
        });
      const labelFeatures = ['y'];
      const aFeatures = ['a0', 'a1', 'a2', 'a3'];
      const bFeatures = ['b0', 'b1', 'b2', 'b3'];
      const [labels, a, b] = [await group('labels', labelFeatures), await group('fa', aFeatures), await group('fb', bFeatures)];
      // Feature rows sit 3 h and 30 h before/after the label hours, so the join must really pick by time.
      await fill(labels, rows, 12, labelFeatures, 1, log);
      await fill(a, rows, 9, aFeatures, 2, log);
      await fill(b, rows, -18, bFeatures, 3, log);
      const fv = await store.getOrCreateFeatureView({
        name: 'pit_bench',
        query: labels.selectAll().join(a.select(aFeatures)).join(b.select(bFeatures)),
        labels: ['y'],
      });
      n = await fv.query().count();
      if (n !== rows) throw new Error(`pit benchmark: expected ${rows} rows, got ${n}`);
    } finally {
      await store.close();
    }
    // Each a median of three builds (each a new training dataset version), in its own process.
    log('airq, training data as columns');
    const columns = await side('columns', dir, rows);
    log('the floor: the same ASOF join in plain DuckDB, read out to columns');
    const duckdb = await side('duckdb', dir, rows);
    log('airq, training data as row objects');
    const asRows = await side('rows', dir, rows);
    return {
      label_rows: rows,
      feature_groups: 2,
      seconds: round(columns.seconds, 2),
      rows_per_s: Math.round(rows / columns.seconds),
      peak_rss_mb: columns.peak_rss_mb,
      duckdb_seconds: round(duckdb.seconds, 2),
      duckdb_peak_rss_mb: duckdb.peak_rss_mb,
      ratio_to_duckdb: round(columns.seconds / duckdb.seconds, 2),
      memory_ratio_to_duckdb: round(columns.peak_rss_mb / duckdb.peak_rss_mb, 2),
      rows_seconds: round(asRows.seconds, 2),
      rows_peak_rss_mb: asRows.peak_rss_mb,
    };
  });
}
