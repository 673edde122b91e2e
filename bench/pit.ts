// Benchmark: training data for 1M label rows joined point-in-time against two feature groups of 1M rows (10k entities).
import { FeatureStore, type FeatureGroup, type InputRow } from '../src/store/index.js';
import { percentile, rng, round, withScratchDir } from './common.js';

export interface PitResult {
  label_rows: number;
  feature_groups: number;
  seconds: number;
  rows_per_s: number;
  sql_join_seconds: number;
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

export async function benchPit(options: { rows?: number; log?: (s: string) => void } = {}): Promise<PitResult> {
  const rows = options.rows ?? 1_000_000;
  const log = options.log ?? (() => undefined);
  return withScratchDir(async (dir) => {
    const store = await FeatureStore.open({ dir });
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
      const s0 = performance.now();
      const n = await fv.query().count();
      const sqlSeconds = (performance.now() - s0) / 1000;
      // Median of three builds (each a new training dataset version): one run on 2 cores is noisy.
      const times: number[] = [];
      for (let r = 0; r < 3; r++) {
        const t0 = performance.now();
        const td = await fv.trainingData();
        times.push((performance.now() - t0) / 1000);
        if (td.features.length !== rows || n !== rows) throw new Error(`pit benchmark: expected ${rows} rows, got ${td.features.length}`);
        log(`training data ${r + 1} of 3: ${round(times[r]!, 2)} s`);
      }
      const seconds = percentile(
        [...times].sort((x, y) => x - y),
        50,
      );
      return {
        label_rows: rows,
        feature_groups: 2,
        seconds: round(seconds, 2),
        rows_per_s: Math.round(rows / seconds),
        sql_join_seconds: round(sqlSeconds, 2),
      };
    } finally {
      await store.close();
    }
  });
}
