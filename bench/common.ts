// Shared benchmark helpers: percentiles, a scratch store directory, and a wide synthetic feature row.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { projectRoot } from '../src/core/data-dir.js';
import { seededRandom } from '../src/core/random.js';
import type { FeatureSpec, InputRow } from '../src/store/index.js';

export const FEATURES = 15;

/** The schema of the benchmark groups: a string key, a date event time and FEATURES float features. */
export const WIDE_SCHEMA: FeatureSpec[] = [
  { name: 'entity', type: 'string' },
  { name: 'day', type: 'date' },
  ...Array.from({ length: FEATURES }, (_, i) => ({ name: `f${i}`, type: 'float' as const })),
];

/** A deterministic pseudo-random generator, so runs are comparable. */
export const rng = seededRandom;

const DAY0 = Date.UTC(2020, 0, 1);

/** Row `i` of a table with `keys` entities: entity i % keys on day floor(i / keys). */
export function wideRow(i: number, keys: number, dayOffset: number, random: () => number): InputRow {
  const row: InputRow = {
    entity: `e${i % keys}`,
    day: new Date(DAY0 + (Math.floor(i / keys) + dayOffset) * 86_400_000).toISOString().slice(0, 10),
  };
  for (let f = 0; f < FEATURES; f++) row[`f${f}`] = Math.round(random() * 1e4) / 100;
  return row;
}

export { percentile } from '../src/core/percentile.js';

/** A scratch directory for one benchmark run, removed afterwards. */
export async function withScratchDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'airq-bench-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const round = (x: number, digits = 1) => Number(x.toFixed(digits));

/** A full garbage collection now (benchmarks measure memory at rest, so they must be able to collect first). */
export function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * Bytes of JavaScript memory in use after full collections: the heap plus typed arrays' buffers. Collected twice,
 * a turn of the event loop apart, so buffers freed by finalisers (DuckDB's result vectors) are gone too.
 */
export async function memoryInUse(): Promise<number> {
  collectGarbage();
  await new Promise((r) => setImmediate(r));
  collectGarbage();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** A benchmark's helper process as built (an entry of the bundle in dist/cli, see scripts/bundle.mjs), e.g. "pit-process". */
export function benchProcessScript(name: 'pit-process' | 'writer-process' | 'startup-floor'): string {
  return join(projectRoot(), 'dist', 'cli', `bench-${name}.js`);
}
