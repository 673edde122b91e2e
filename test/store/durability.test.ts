// Durability and isolation: reopen keeps everything, reads during a write see a whole commit, a crash loses nothing.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FeatureStore } from '../../src/store/index.js';
import { startChild } from '../helpers/child.js';
import { tempDir } from '../helpers/tmp.js';

const spec = {
  name: 'd',
  primaryKey: 'k',
  eventTime: 'ts',
  onlineEnabled: true,
  schema: [
    { name: 'k', type: 'string' as const },
    { name: 'ts', type: 'timestamp' as const },
    { name: 'batch', type: 'int' as const },
    { name: 'v', type: 'float' as const },
  ],
};

function batch(n: number, b: number, keys = n) {
  return Array.from({ length: n }, (_, i) => ({ k: `k${i % keys}`, ts: '2024-01-01T00:00:00Z', batch: b, v: i * 0.5 }));
}

describe('durability', () => {
  it('close and reopen keeps offline rows, online rows, the commit log and time travel', async () => {
    const dir = tempDir();
    const store = await FeatureStore.open({ dir });
    const fg = await store.getOrCreateFeatureGroup(spec);
    const c1 = await fg.insert(batch(100, 1));
    await fg.insert(batch(50, 2));
    await fg.deleteRecords([{ k: 'k99' }]);
    const before = { rows: await fg.read(), online: await fg.getOnlineBatch(['k0', 'k60', 'k99']), log: await fg.commits() };
    const asOfBefore = await fg.asOf(c1!.commitId).read();
    await store.close();

    const reopened = await FeatureStore.open({ dir });
    const again = reopened.getFeatureGroup('d');
    expect(await again.read()).toEqual(before.rows);
    expect(await again.getOnlineBatch(['k0', 'k60', 'k99'])).toEqual(before.online);
    expect(await again.commits()).toEqual(before.log);
    expect(await again.asOf(c1!.commitId).read()).toEqual(asOfBefore);
    // commit ids keep growing after a reopen
    const next = await again.insert(batch(1, 3));
    expect(next!.commitId).toBe(before.log[0]!.commitId + 1);
    await reopened.close();
  });

  it('a read during a write sees the state before or after the commit, never part of it', async () => {
    const store = await FeatureStore.open({ dir: tempDir() });
    const fg = await store.getOrCreateFeatureGroup(spec);
    await fg.insert(batch(20_000, 1));
    const observed = new Set<string>();
    const write = fg.insert(batch(20_000, 2));
    let done = false;
    void write.then(() => (done = true));
    // Keep reading while the write runs: every snapshot must hold one batch number only.
    while (!done) {
      const rows = await fg.select(['batch']).read();
      expect(rows).toHaveLength(20_000);
      observed.add([...new Set(rows.map((r) => r.batch))].join(','));
    }
    await write;
    observed.add([...new Set((await fg.select(['batch']).read()).map((r) => r.batch))].join(','));
    expect([...observed].every((s) => s === '1' || s === '2')).toBe(true);
    expect(observed.has('2')).toBe(true);
    await store.close();
  });

  it('serialises concurrent writes: every commit lands whole, in order', async () => {
    const store = await FeatureStore.open({ dir: tempDir() });
    const fg = await store.getOrCreateFeatureGroup(spec);
    const commits = await Promise.all([1, 2, 3, 4, 5].map((b) => fg.insert(batch(1000, b, 10))));
    expect(commits.map((c) => c!.commitId)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set((await fg.read()).map((r) => r.batch))).toEqual(new Set([5]));
    await store.close();
  });

  // A 400k-row insert takes about 1-2 s here: killing at several points lands in normalisation,
  // in the append inside the transaction, and around the commit.
  for (const delayMs of [100, 600, 1200]) {
    it(`a process killed ${delayMs} ms into a large write loses no committed data and keeps that write whole or not at all`, async () => {
      const dir = tempDir();
      const child = startChild(['--import', 'tsx', join(__dirname, 'fixtures', 'writer-process.ts'), dir]);
      await child.waitFor('ready');
      child.send('insert 1 1000');
      await child.waitFor('inserted 1');
      child.send('big 2');
      await child.waitFor('writing 2');
      setTimeout(() => child.proc.kill('SIGKILL'), delayMs);
      await child.exited;
      const finished = child.output().includes('finished');
      expect(finished).toBe(false);
      const store = await FeatureStore.open({ dir });
      const fg = store.getFeatureGroup('d');
      const log = await fg.commits();
      // Either the big write never committed (1 commit, batch 1 only) or it committed whole.
      const batches = new Set((await fg.read()).map((r) => r.batch));
      if (log.length === 1) {
        expect(await fg.count()).toBe(1000);
        expect(batches).toEqual(new Set([1]));
        expect(await fg.getOnline('k5')).toMatchObject({ batch: 1 });
      } else {
        expect(await fg.count()).toBe(400_000);
        expect(batches).toEqual(new Set([2]));
        expect(log[0]!.rowsInserted + log[0]!.rowsUpdated).toBe(400_000);
      }
      await store.close();
    });
  }
});

describe('queued writes', () => {
  it('apply in call order, each seeing the definition the writes before it left', async () => {
    const store = await FeatureStore.open({ dir: tempDir() });
    const fg = await store.getOrCreateFeatureGroup({ name: 'q', primaryKey: 'k', eventTime: 'ts', onlineEnabled: true });
    // Fired without awaiting: the first insert creates the schema, the next ones depend on it.
    const results = await Promise.allSettled([
      fg.insert([{ k: 'a', ts: '2024-01-01T00:00:00Z', v: 1 }]),
      fg.appendFeatures([{ name: 'w', type: 'float', default: 0 }]),
      fg.insert([{ k: 'b', ts: '2024-01-01T00:00:00Z', v: 2, w: 5 }]),
      fg.setExpectationSuite({ expectations: [{ kind: 'valuesBetween', column: 'v', max: 10 }] }),
      fg.insert([{ k: 'c', ts: '2024-01-01T00:00:00Z', v: 99 }]),
      fg.deleteRecords([{ k: 'a' }]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(await fg.read()).toEqual([{ k: 'b', ts: '2024-01-01T00:00:00.000Z', v: 2, w: 5 }]);
    // the suite did not lose the appended column, and the appended column did not lose the suite
    expect(fg.meta.schema!.map((f) => f.name)).toEqual(['k', 'ts', 'v', 'w']);
    expect(fg.meta.expectations!.expectations).toHaveLength(1);
    await store.close();
  });
});
