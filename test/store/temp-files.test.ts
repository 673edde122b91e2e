// Temporary files live in <store>/.tmp/; a writer's open removes those of ended processes, a reader's open removes nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FeatureStore } from '../../src/store/index.js';
import { cleanStoreTemp, makeStoreTemp } from '../../src/store/temp-files.js';
import { tempDir } from '../helpers/tmp.js';

/** The pid of a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;
const host = hostname().replace(/[^A-Za-z0-9.]/g, '_');

function leftovers(dir: string): Record<string, string> {
  const root = join(dir, '.tmp');
  mkdirSync(root, { recursive: true });
  const names = {
    dead: `train-${deadPid()}@${host}-abc123`,
    otherHostNew: `train-1@elsewhere.example-abc123`,
    otherHostOld: `train-1@elsewhere.example-def456`,
    junk: 'not-ours',
    staging: `model-stage-${deadPid()}@${host}-XyZ789`,
  };
  for (const n of Object.values(names)) {
    mkdirSync(join(root, n));
    writeFileSync(join(root, n, 'forecaster.json'), 'x'.repeat(1000));
  }
  const weekAndADayAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
  utimesSync(join(root, names.otherHostOld), weekAndADayAgo, weekAndADayAgo);
  return names;
}

describe('temporary files of a store', () => {
  it('are made in <store>/.tmp/, named for their process, with a checked purpose', async () => {
    const dir = tempDir();
    const t = makeStoreTemp(dir, 'train');
    expect(t.startsWith(join(dir, '.tmp', `train-${process.pid}@`))).toBe(true);
    expect(() => makeStoreTemp(dir, '../escape')).toThrow(/purpose is lowercase letters, digits and -, got "..\/escape"/);
  });

  it("a writer's open removes what ended processes left; a live process's directory and a reader's open leave everything", async () => {
    const dir = tempDir();
    const first = await FeatureStore.open({ dir });
    await (await first.getOrCreateFeatureGroup({ name: 'g', primaryKey: 'k' })).insert([{ k: 'a', v: 1 }]);
    await first.close(); // publishes a read snapshot
    const names = leftovers(dir);
    const mine = makeStoreTemp(dir, 'model-copy'); // this process is alive: a writer must not take it away

    const reader = await FeatureStore.open({ dir, readOnly: true });
    await reader.close();
    expect(readdirSync(join(dir, '.tmp'))).toHaveLength(6);

    const writer = await FeatureStore.open({ dir });
    expect(readdirSync(join(dir, '.tmp')).sort()).toEqual([mine.split('/').at(-1), names.otherHostNew].sort());
    await writer.close();
    expect(existsSync(mine)).toBe(true);
  });

  it('cleaning an absent .tmp/ is nothing, and a writer removes the staging directories older airq left in models/', async () => {
    const dir = tempDir();
    expect(cleanStoreTemp(dir)).toEqual([]);
    mkdirSync(join(dir, 'models', '.staging-0d3c'), { recursive: true });
    mkdirSync(join(dir, 'models', 'gbdt', '1'), { recursive: true });
    const store = await FeatureStore.open({ dir });
    expect(readdirSync(join(dir, 'models'))).toEqual(['gbdt']);
    await store.close();
  });
});
