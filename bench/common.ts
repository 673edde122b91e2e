// Shared benchmark helpers: percentiles, a scratch store directory, and a wide synthetic feature row.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
