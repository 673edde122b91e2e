// Superseded read snapshots are removed once their successor is past its grace: every one of them, and a closing writer's within a second.
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLOSE_GRACE_MS, tidySnapshots } from '../../src/store/snapshots.js';
import { FeatureStore } from '../../src/store/index.js';
import { tempDir } from '../helpers/tmp.js';

function fakeSnapshots(dir: string, ages: number[]): void {
  const read = join(dir, 'read');
  mkdirSync(read, { recursive: true });
  ages.forEach((ageMs, i) => {
    const name = `s${String(i + 1).padStart(6, '0')}`;
    mkdirSync(join(read, name));
    const t = new Date(Date.now() - ageMs);
    utimesSync(join(read, name), t, t);
  });
  const name = `s${String(ages.length).padStart(6, '0')}`;
  const current = { format: 'airq-snapshot-1', name, seq: ages.length, writeSeq: 1, commit: 1, publishedAt: new Date().toISOString() };
  writeFileSync(join(read, 'CURRENT'), JSON.stringify(current));
}

const left = (dir: string) =>
  readdirSync(join(dir, 'read'))
    .filter((n) => n.startsWith('s'))
    .sort();

describe('tidying read snapshots', () => {
  it('removes every superseded snapshot past its grace, not every other one', () => {
    const dir = tempDir();
    fakeSnapshots(dir, [60_000, 50_000, 40_000, 30_000, 20_000, 15_000]);
    tidySnapshots(dir);
    expect(left(dir)).toEqual(['s000005', 's000006']);
  });

  it('keeps what was superseded within the grace', () => {
    const dir = tempDir();
    fakeSnapshots(dir, [60_000, 5_000, 3_000, 2_000]);
    tidySnapshots(dir); // s000001's successor is 5 s old: within the 10 s grace
    expect(left(dir)).toEqual(['s000001', 's000002', 's000003', 's000004']);
    tidySnapshots(dir, CLOSE_GRACE_MS); // a closing writer's second
    expect(left(dir)).toEqual(['s000003', 's000004']);
  });

  it('a writer that closes leaves only the snapshots of its last second', async () => {
    const dir = tempDir();
    const store = await FeatureStore.open({ dir });
    const g = await store.getOrCreateFeatureGroup({ name: 'g', version: 1, primaryKey: ['k'], schema: [{ name: 'k', type: 'int' }] });
    for (let i = 0; i < 4; i++) {
      await g.insert([{ k: i }]);
      await store.publish();
      await new Promise((r) => setTimeout(r, 1_100));
    }
    await store.close();
    expect(left(dir).length).toBeLessThanOrEqual(3);
  });
});
