// verifyStore and `airq status --verify` find what a broken write would leave: rows the commit log does not account for, missing model files.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { column as f, DB_FILE, FeatureStore, verifyStore } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';
import { copyStore, syntheticStore } from '../helpers/stores.js';
import { tempDir } from '../helpers/tmp.js';

async function smallStore(): Promise<string> {
  const dir = tempDir();
  const store = await FeatureStore.open({ dir });
  const fg = await store.getOrCreateFeatureGroup({
    name: 'readings',
    version: 1,
    primaryKey: ['id'],
    eventTime: 'day',
    onlineEnabled: true,
    schema: [f('id', 'string', 'station'), f('day', 'date', 'day'), f('pm25', 'float', 'PM2.5')],
  });
  await fg.insert([1, 2, 3].map((i) => ({ id: `s${i}`, day: '2024-01-01', pm25: i })));
  await fg.insert([{ id: 's1', day: '2024-01-02', pm25: 9 }]);
  await store.close();
  return dir;
}

async function verify(dir: string) {
  const store = await FeatureStore.open({ dir });
  try {
    return await verifyStore(store);
  } finally {
    await store.close();
  }
}

/** Changes the store file behind airq's back, as a torn or half-applied write would. */
async function tamper(dir: string, sql: string): Promise<void> {
  const db = await DuckDBInstance.create(join(dir, DB_FILE));
  const c = await db.connect();
  await c.run(sql);
  c.closeSync();
  db.closeSync();
}

describe('verifyStore', () => {
  it('finds a consistent store consistent and names a row the commit log does not account for', async () => {
    const dir = await smallStore();
    const ok = await verify(dir);
    expect(ok).toMatchObject({ ok: true, problems: [], checked: { groups: 1, commits: 2, rows: 4, onlineKeys: 3 } });
    await tamper(dir, `DELETE FROM fg_readings_v1 WHERE id = 's2'`);
    const bad = await verify(dir);
    expect(bad.ok).toBe(false);
    expect(bad.problems).toContain('readings v1: 3 current rows, but its commit log adds up to 4');
    expect(bad.problems.join('\n')).toMatch(/readings v1 commit 1 \(insert\): rows went from 0 to 2, its log says \+3 -0/);
  });

  it('airq status --verify exits 0 on a good store, 1 naming the problem on a damaged one, and refuses a folder with no store', async () => {
    const dir = await smallStore();
    const good = runCli(['status', '--verify', '--store', dir]);
    expect([good.code, good.stdout]).toEqual([0, expect.stringMatching(/is consistent: checked 1 feature groups, 2 commits, 4 current rows/)]);
    await tamper(dir, `UPDATE fg_readings_v1 SET _commit_id = 99 WHERE id = 's3'`);
    const bad = runCli(['status', '--verify', '--json', '--store', dir]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout.trim()).ok).toBe(false);
    expect(bad.stderr).toMatch(/^airq: the store .* is inconsistent: \d+ problem\(s\), the first: readings v1/);
    const none = runCli(['status', '--verify', '--store', join(tempDir(), 'nothing')]);
    expect([none.code, none.stderr]).toEqual([1, expect.stringMatching(/there is no airq store in .*nothing \(no store\.duckdb\) to verify/)]);
  });

  it('names a registered model whose files are gone', async () => {
    const dir = copyStore(syntheticStore());
    expect(await verify(dir)).toMatchObject({ ok: true, checked: { models: 1, indexes: expect.any(Number) } });
    rmSync(join(dir, 'models', 'pm25_forecaster', '1', 'model_card.md'));
    const bad = await verify(dir);
    expect(bad.problems).toEqual([expect.stringMatching(/^model pm25_forecaster v1: 1 artifact file\(s\) missing in .*: model_card\.md$/)]);
  });
});
