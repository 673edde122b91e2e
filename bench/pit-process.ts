// One side of `bench pit` in its own process, so each has its own peak memory: `columns` or `rows` (airq's training
// data) or `duckdb` (the floor: the same ASOF join in plain DuckDB, read out to Float64Arrays). Prints one JSON line.
import { DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';
import { DB_FILE } from '../src/store/open-store.js';
import { FeatureStore } from '../src/store/index.js';

const [mode, dir, expected] = [process.argv[2], process.argv[3]!, Number(process.argv[4])];
const REPEATS = 3;

/** The floor: the plain join over the same tables, every column read from DuckDB's vectors into a Float64Array. */
async function duckdbJoin(): Promise<number> {
  const instance = await DuckDBInstance.create(join(dir, DB_FILE), { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    const result = await conn.run(
      `SELECT l.y, a.a0, a.a1, a.a2, a.a3, b.b0, b.b1, b.b2, b.b3
       FROM fg_labels_v1 l
       ASOF LEFT JOIN fg_fa_v1 a ON l.entity = a.entity AND l.ts >= a.ts
       ASOF LEFT JOIN fg_fb_v1 b ON l.entity = b.entity AND l.ts >= b.ts
       ORDER BY l.entity, l.ts`,
    );
    const rows = Number(result.rowCount);
    const columns = result.columnNames().map(() => new Float64Array(rows));
    let offset = 0;
    for (let i = 0; i < result.chunkCount; i++) {
      const chunk = result.getChunk(i);
      columns.forEach((out, c) => {
        const vector = chunk.getColumnVector(c);
        for (let r = 0; r < chunk.rowCount; r++) out[offset + r] = (vector.getItem(r) as number | null) ?? NaN;
      });
      offset += chunk.rowCount;
    }
    return offset;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function airqTrainingData(returnType: 'rows' | 'columns'): Promise<() => Promise<number>> {
  const store = await FeatureStore.open({ dir, publish: 'off' });
  const fv = store.getFeatureView('pit_bench', 1);
  return async () => {
    const td = await fv.trainingData({ returnType });
    return 'rowCount' in td.features ? td.features.rowCount : td.features.length;
  };
}

const run = mode === 'duckdb' ? duckdbJoin : await airqTrainingData(mode === 'rows' ? 'rows' : 'columns');
const times: number[] = [];
for (let r = 0; r < REPEATS; r++) {
  const t0 = performance.now();
  const n = await run();
  times.push((performance.now() - t0) / 1000);
  if (n !== expected) throw new Error(`pit benchmark (${mode}): expected ${expected} rows, got ${n}`);
}
times.sort((a, b) => a - b);
process.stdout.write(`${JSON.stringify({ seconds: times[1], peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
process.exit(0);
