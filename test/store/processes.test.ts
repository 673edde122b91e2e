// One store, many processes: readers follow a writer in another process, writers wait for each other, readers queue inserts.
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { BusyError, ConfigError } from '../../src/core/errors.js';
import { FeatureStore, LiveStore, withStore } from '../../src/store/index.js';
import { eventually, startChild, type Child } from '../helpers/child.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURE = join(__dirname, 'fixtures', 'writer-process.ts');
const children: Child[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.proc.kill('SIGKILL');
});

function writerProcess(dir: string, waitMs = 0): Child {
  const c = startChild(['--import', 'tsx', FIXTURE, dir, String(waitMs)]);
  children.push(c);
  return c;
}

const batchesOf = async (store: FeatureStore) => [...new Set((await store.getFeatureGroup('d').read()).map((r) => r.batch))];

const TRACE = {
  name: 'notes',
  primaryKey: 'id',
  schema: [
    { name: 'id', type: 'string' as const },
    { name: 'text', type: 'string' as const },
  ],
};

describe('one store, many processes', () => {
  it('a reader sees each commit of a writer in another process without reopening, while the writer keeps the store', async () => {
    const dir = tempDir();
    const writer = writerProcess(dir);
    await writer.waitFor('ready');
    writer.send('insert 1 10');
    await writer.waitFor('inserted 1');
    const live = await LiveStore.open({ dir });
    await eventually(async () => expect(await withStore(live, batchesOf)).toEqual([1]));
    writer.send('insert 2 10');
    await writer.waitFor('inserted 2');
    await eventually(async () => expect(await withStore(live, batchesOf)).toEqual([2]));
    // Online features follow too: the new snapshot's online table is loaded from its own rows.
    expect(await withStore(live, (s) => s.getFeatureGroup('d').getOnline('k3'))).toMatchObject({ batch: 2 });
    // A lease taken before a publish keeps reading its snapshot until released.
    const lease = await live.acquire();
    writer.send('insert 3 10');
    await writer.waitFor('inserted 3');
    await eventually(async () => {
      await live.catchUp(); // opens what the writer published last, then requests get it
      expect(await withStore(live, batchesOf)).toEqual([3]);
    });
    expect(await batchesOf(lease.store)).toEqual([2]);
    lease.release();
    writer.send('close');
    expect(await writer.exited).toBe(0);
    await live.close();
  });

  it('a second writer waits, names the holder, and fails after --wait; it gets the store once the first one is done', async () => {
    const dir = tempDir();
    const first = writerProcess(dir);
    await first.waitFor('ready');
    const told: string[] = [];
    const err = await FeatureStore.open({ dir, wait: { waitMs: 300, onWait: (m) => told.push(m) } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BusyError);
    expect((err as Error).message).toMatch(/being written by `test writer-process` \(pid \d+, since/);
    expect((err as Error).message).toMatch(/--wait/);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/being written by `test writer-process` .*; waiting up to 0.3 s/);
    // Reads go on meanwhile.
    const reader = await FeatureStore.open({ dir, readOnly: true });
    expect(reader.getFeatureGroup('d').name).toBe('d');
    await reader.close();
    const second = FeatureStore.open({ dir, wait: { waitMs: 60_000 } });
    first.send('close');
    const store = await second;
    expect(store.readOnly).toBe(false);
    await store.close();
  });

  it('a crash of the writer leaves readers on the last snapshot, and the next writer publishes what was committed', async () => {
    const dir = tempDir();
    const writer = writerProcess(dir);
    await writer.waitFor('ready');
    writer.send('insert 1 1000');
    await writer.waitFor('inserted 1');
    const live = await LiveStore.open({ dir });
    await eventually(async () => expect(await withStore(live, batchesOf)).toEqual([1]));
    writer.send('big 2');
    await writer.waitFor('writing 2');
    writer.proc.kill('SIGKILL');
    await writer.exited;
    // Whatever the kill interrupted, the reader keeps a whole snapshot.
    const seen = await withStore(live, batchesOf);
    expect([[1], [2]]).toContainEqual(seen);
    const next = await FeatureStore.open({ dir });
    const batches = await batchesOf(next);
    await next.close();
    await eventually(async () => expect(await withStore(live, batchesOf)).toEqual(batches));
    await live.close();
  });

  it('a reader queues inserts that the next writer applies; a bad queue file is set aside with its reason', async () => {
    const dir = tempDir();
    const setup = await FeatureStore.open({ dir });
    await setup.close();
    const reader = await FeatureStore.open({ dir, readOnly: true });
    expect(await reader.insertOrQueue(TRACE, [{ id: 'a', text: 'first' }])).toBe('queued');
    expect(await reader.insertOrQueue(TRACE, [{ id: 'b', text: 'second' }])).toBe('queued');
    writeFileSync(join(dir, 'spool', '000000000000001-bad.json'), '{"format":"airq-spool-1","group":{"name":"notes"},"rows":[{"id":1}]}');
    await reader.close();
    const writer = await FeatureStore.open({ dir });
    expect(await writer.getFeatureGroup('notes').read()).toEqual([
      { id: 'a', text: 'first' },
      { id: 'b', text: 'second' },
    ]);
    expect(readdirSync(join(dir, 'spool')).filter((f) => f.endsWith('.json'))).toEqual([]);
    expect(readdirSync(join(dir, 'spool', 'failed')).sort()).toEqual(['000000000000001-bad.json', '000000000000001-bad.json.reason.txt']);
    // The writer's own inserts go straight in.
    expect(await writer.insertOrQueue(TRACE, [{ id: 'c', text: 'third' }])).toBe('inserted');
    await writer.close();
    const after = await FeatureStore.open({ dir, readOnly: true });
    expect(await after.getFeatureGroup('notes').count()).toBe(3);
    await after.close();
  });

  it('properties commit with the data and reach readers; a damaged one is a clear error', async () => {
    const dir = tempDir();
    const store = await FeatureStore.open({ dir });
    await store.transaction(async () => {
      await store.setProperty('app.clock', { today: '2017-02-21' });
      const fg = await store.getOrCreateFeatureGroup(TRACE);
      await fg.insert([{ id: 'x', text: 'y' }]);
    });
    await expect(store.transaction(() => store.setProperty('Bad Key', 1))).rejects.toThrow(/property key/);
    await store.close();
    const reader = await FeatureStore.open({ dir, readOnly: true });
    expect(reader.getProperty('app.clock')).toEqual({ today: '2017-02-21' });
    expect(reader.getProperty('app.other')).toBeUndefined();
    await reader.close();
    // Damaged behind the store's back: reading it names the key and the way out.
    const raw = await DuckDBInstance.create(join(dir, 'store.duckdb'));
    const conn = await raw.connect();
    await conn.run(`UPDATE airq_properties SET value = '{not json' WHERE key = 'app.clock'`);
    conn.closeSync();
    raw.closeSync();
    const damaged = await FeatureStore.open({ dir });
    expect(() => damaged.getProperty('app.clock')).toThrow(/property "app.clock" is damaged/);
    await damaged.close();
  });

  it('publishes through DuckDB when cp cannot run', async () => {
    const dir = tempDir();
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const store = await FeatureStore.open({ dir });
      await (await store.getOrCreateFeatureGroup(TRACE)).insert([{ id: 'x', text: 'y' }]);
      await store.close();
    } finally {
      process.env.PATH = path;
    }
    const reader = await FeatureStore.open({ dir, readOnly: true });
    expect(await reader.getFeatureGroup('notes').read()).toEqual([{ id: 'x', text: 'y' }]);
    await reader.close();
  });

  it('opens a store that has no snapshot yet (made before snapshots) by publishing one, and refuses what is not a store', async () => {
    const dir = tempDir();
    const store = await FeatureStore.open({ dir });
    await (await store.getOrCreateFeatureGroup(TRACE)).insert([{ id: 'x', text: 'y' }]);
    await store.close();
    rmSync(join(dir, 'read'), { recursive: true });
    const reader = await FeatureStore.open({ dir, readOnly: true });
    expect(await reader.getFeatureGroup('notes').count()).toBe(1);
    await reader.close();
    expect(existsSync(join(dir, 'read', 'CURRENT'))).toBe(true);

    writeFileSync(join(dir, 'read', 'CURRENT'), '{not json');
    await expect(FeatureStore.open({ dir, readOnly: true })).rejects.toThrow(ConfigError);
    const repair = await FeatureStore.open({ dir });
    await repair.close();
    const repaired = await FeatureStore.open({ dir, readOnly: true });
    expect(await repaired.getFeatureGroup('notes').count()).toBe(1);
    await repaired.close();

    const file = join(tempDir(), 'plain-file');
    writeFileSync(file, 'x');
    await expect(FeatureStore.open({ dir: file })).rejects.toThrow(/is a file, not a directory/);
    const notStore = tempDir();
    writeFileSync(join(notStore, 'store.duckdb'), 'not a database');
    await expect(FeatureStore.open({ dir: notStore })).rejects.toThrow(/not an airq store/);
    await expect(FeatureStore.open({ dir: join(notStore, 'missing'), readOnly: true })).rejects.toThrow(/no airq store/);
  });
});
