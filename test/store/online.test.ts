// The online store contract, run against both online stores (in memory, and a real Redis of the test's own): latest row per key, in step with every commit, TTL, composite keys, batch lookups.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.js';
import { ValidationError } from '../../src/core/errors.js';
import type { OpenOptions } from '../../src/store/index.js';
import { redisInstalled, startRedis } from '../helpers/redis.js';
import { tempDir, tempStore as openTemp } from '../helpers/tmp.js';

const schema = [
  { name: 'loc', type: 'string' as const },
  { name: 'date', type: 'date' as const },
  { name: 'pm25', type: 'float' as const },
];

const BACKENDS = [{ kind: 'memory' as const }, ...(redisInstalled() ? [{ kind: 'redis' as const }] : [])];

describe.each(BACKENDS)('online store ($kind)', ({ kind }) => {
  let online = 'memory';
  beforeAll(async () => {
    if (kind === 'redis') online = (await startRedis()).url;
  });
  const tempStore = (options: Partial<OpenOptions> = {}) => openTemp({ online, ...options });

  it('serves the row with the highest event time per key, kept in step with each commit', async () => {
    const store = await tempStore();
    const fg = await store.getOrCreateFeatureGroup({ name: 'o', primaryKey: 'loc', eventTime: 'date', onlineEnabled: true, schema });
    await fg.insert([
      { loc: 'a', date: '2024-01-02', pm25: 2 },
      { loc: 'a', date: '2024-01-01', pm25: 1 },
    ]);
    expect(await fg.getOnline('a')).toEqual({ loc: 'a', date: '2024-01-02', pm25: 2 });
    // late data (an older event time) does not replace the latest row
    await fg.insert([{ loc: 'a', date: '2023-12-31', pm25: 0 }]);
    expect((await fg.getOnline('a'))!.pm25).toBe(2);
    // a correction of the latest row does
    await fg.insert([{ loc: 'a', date: '2024-01-02', pm25: 2.5 }]);
    expect((await fg.getOnline('a'))!.pm25).toBe(2.5);
    // deleting the latest row falls back to the one before it
    await fg.deleteRecords([{ loc: 'a', date: '2024-01-02' }]);
    expect((await fg.getOnline('a'))!.date).toBe('2024-01-01');
    await fg.deleteRecords([{ loc: 'a' }]);
    expect(await fg.getOnline('a')).toBeUndefined();
  });

  it('does not serve rows older than the TTL, measured against the store clock', async () => {
    const store = await tempStore({ clock: fixedClock('2024-01-10') });
    const fg = await store.getOrCreateFeatureGroup({
      name: 'ttl',
      primaryKey: 'loc',
      eventTime: 'date',
      onlineEnabled: true,
      ttl: '3d',
      schema,
    });
    await fg.insert([
      { loc: 'fresh', date: '2024-01-09', pm25: 1 },
      { loc: 'edge', date: '2024-01-08', pm25: 2 },
      { loc: 'stale', date: '2024-01-05', pm25: 3 },
    ]);
    // now = 2024-01-10T23:59:59.999Z; 3 days back is 2024-01-07T23:59:59.999Z
    expect((await fg.getOnlineBatch(['fresh', 'edge', 'stale'])).map((r) => r?.pm25)).toEqual([1, 2, undefined]);
    // the offline table keeps everything
    expect(await fg.count()).toBe(3);
  });

  it('keeps rows a real-time writer sees as expired, for a reader whose clock is a replayed day', async () => {
    const dir = tempDir();
    const writer = await tempStore({ dir }); // the system clock: 2024-01-01 is long past its 3-day TTL
    const fg = await writer.getOrCreateFeatureGroup({ name: 'ttl2', primaryKey: 'loc', eventTime: 'date', onlineEnabled: true, ttl: '3d', schema });
    await fg.insert([{ loc: 'a', date: '2024-01-01', pm25: 1 }]);
    expect(await fg.getOnline('a')).toBeUndefined();
    await writer.close();
    const replay = await tempStore({ dir, readOnly: true, clock: fixedClock('2024-01-02') });
    expect((await replay.getFeatureGroup('ttl2').getOnline('a'))?.pm25).toBe(1);
  });

  it('looks up composite keys by object or by array, and validates key values', async () => {
    const store = await tempStore();
    const fg = await store.getOrCreateFeatureGroup({
      name: 'composite',
      primaryKey: ['city', 'station'],
      onlineEnabled: true,
      schema: [
        { name: 'city', type: 'string' },
        { name: 'station', type: 'int' },
        { name: 'value', type: 'float' },
      ],
    });
    await fg.insert([
      { city: 'x', station: 1, value: 10 },
      { city: 'x', station: 2, value: 20 },
    ]);
    expect((await fg.getOnline({ city: 'x', station: 2 }))!.value).toBe(20);
    expect((await fg.getOnline(['x', 1]))!.value).toBe(10);
    expect(await fg.getOnline(['x', 3])).toBeUndefined();
    await expect(fg.getOnline('x')).rejects.toThrow(/a key has 2 value\(s\) \(city, station\), got 1/);
    await expect(fg.getOnline(['x', 'one'])).rejects.toThrow(ValidationError);
  });

  it('refuses online lookups on a group that is not online-enabled', async () => {
    const store = await tempStore();
    const fg = await store.getOrCreateFeatureGroup({ name: 'offline_only', primaryKey: 'loc', eventTime: 'date', schema });
    await expect(fg.getOnline('a')).rejects.toThrow(/not online-enabled/);
  });

  it('loads thousands of keys from the offline table in chunks, keeps every type and null, and hands out copies', async () => {
    const dir = tempDir();
    const wide = [
      { name: 'id', type: 'int' as const },
      { name: 'day', type: 'date' as const },
      { name: 'at', type: 'timestamp' as const },
      { name: 'label', type: 'string' as const },
      { name: 'ok', type: 'bool' as const },
      { name: 'x', type: 'float' as const },
    ];
    const row = (i: number, day: string) => ({
      id: i,
      day,
      at: i % 7 === 0 ? null : `${day}T0${i % 10}:00:00.000Z`,
      label: i % 5 === 0 ? null : `l${i}`,
      ok: i % 3 === 0 ? null : i % 2 === 0,
      x: i % 4 === 0 ? null : i / 8,
    });
    const n = 5000; // more than two of DuckDB's 2,048-row chunks
    const first = await tempStore({ dir });
    const fg = await first.getOrCreateFeatureGroup({ name: 'wide', primaryKey: 'id', eventTime: 'day', onlineEnabled: true, schema: wide });
    await fg.insert(Array.from({ length: n }, (_, i) => row(i, '2024-01-02')));
    await fg.insert(Array.from({ length: n }, (_, i) => row(i, '2024-01-01'))); // older: not the latest
    await fg.deleteRecords([{ id: 17 }]);
    await first.close();

    const store = await tempStore({ dir });
    const again = store.getFeatureGroup('wide');
    const ids = [0, 1, 2, 3, 4, 5, 2047, 2048, 4999];
    expect(await again.getOnlineBatch(ids)).toEqual(ids.map((i) => row(i, '2024-01-02')));
    expect(await again.getOnline(17)).toBeUndefined();
    // A deleted key's room is reused by the next new key, without leaking the old values.
    await again.insert([{ id: 9000, day: '2024-01-03' }]);
    expect(await again.getOnline(9000)).toEqual({ id: 9000, day: '2024-01-03', at: null, label: null, ok: null, x: null });
    const copy = (await again.getOnline(1))!;
    copy.x = 99;
    expect((await again.getOnline(1))!.x).toBe(1 / 8);
  });

  it('serves rows once a group looked up before it had a schema gets one, and after a column is added', async () => {
    const store = await tempStore();
    const fg = await store.getOrCreateFeatureGroup({ name: 'later', primaryKey: 'id', onlineEnabled: true });
    expect(await fg.getOnline('a')).toBeUndefined(); // loads an online table with no columns
    await fg.defineSchema([
      { name: 'id', type: 'string' },
      { name: 'x', type: 'float' },
    ]);
    await fg.insert([{ id: 'a', x: 1.5 }]);
    const added = fg.appendFeatures([{ name: 'z', type: 'int', default: 7 }]);
    // In memory, the first lookup since, queued behind the schema change, loads the table with the new definition;
    // Redis is read at once, and rewritten with the new column before the change resolves.
    const looked = kind === 'memory' ? fg.getOnline('a') : added.then(() => fg.getOnline('a'));
    await added;
    expect(await looked).toEqual({ id: 'a', x: 1.5, z: 7 });
  });
});
