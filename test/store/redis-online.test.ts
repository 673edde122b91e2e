// The Redis online store beyond the shared contract: readers see a commit at once, the writer resyncs by commit id, and Redis being away is a clear error at start and a warning (never a lost commit) while writing.
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, UnavailableError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import { FeatureStore, verifyStore } from '../../src/store/index.js';
import { eventually } from '../helpers/child.js';
import { redisInstalled, startRedis, type TestRedis } from '../helpers/redis.js';
import { tempDir, tempStore } from '../helpers/tmp.js';

const spec = {
  name: 'r',
  primaryKey: 'id',
  eventTime: 'day',
  onlineEnabled: true,
  schema: [
    { name: 'id', type: 'string' as const },
    { name: 'day', type: 'date' as const },
    { name: 'v', type: 'float' as const },
  ],
};
const rows = (n: number, day: string, v: number) => Array.from({ length: n }, (_, i) => ({ id: `k${i}`, day, v: v + i }));

describe.skipIf(!redisInstalled())('Redis online store', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });

  it('serves a commit to a reader that opened before it, without a new read snapshot', async () => {
    const dir = tempDir();
    const writer = await tempStore({ dir, online: redis.url, publish: 'off' });
    const fg = await writer.getOrCreateFeatureGroup(spec);
    await fg.insert(rows(3, '2024-01-01', 1));
    await writer.close();
    const w2 = await tempStore({ dir, online: redis.url, publish: 'off' });
    const reader = await tempStore({ dir, online: redis.url, readOnly: true });
    expect((await reader.getFeatureGroup('r').getOnline('k1'))!.v).toBe(2);
    await w2.getFeatureGroup('r').insert([{ id: 'k1', day: '2024-01-02', v: 50 }]);
    // The reader's snapshot is the old one (publishing is off), yet it serves the new row: Redis got it before insert returned.
    expect((await reader.getFeatureGroup('r').getOnline('k1'))!.v).toBe(50);
    expect((await reader.getFeatureGroup('r').read()).length).toBe(3);
  });

  it('a writer that opens behind Redis writes only the keys changed since, and all of them when Redis lost its data', async () => {
    const dir = tempDir();
    const first = await tempStore({ dir, online: redis.url });
    await (await first.getOrCreateFeatureGroup(spec)).insert(rows(20, '2024-01-01', 0));
    await first.close();
    // Commits that never reached Redis: a writer using the in-memory online store.
    const memory = await tempStore({ dir });
    await memory.getFeatureGroup('r').insert([{ id: 'k3', day: '2024-01-05', v: 300 }]);
    await memory.getFeatureGroup('r').deleteRecords([{ id: 'k4' }]);
    await memory.close();
    const lines: string[] = [];
    const again = await tempStore({ dir, online: redis.url, log: createLogger('info', (l) => lines.push(l)) });
    expect(lines.join('')).toMatch(/Redis online store: r v1 now at commit 3 \(changed keys: 1 written, 1 removed\)/);
    const { mode, written, deleted } = (await again.syncOnline())[0]!;
    expect(mode).toBe('none'); // the open did it already
    expect(written + deleted).toBe(0);
    const fg = again.getFeatureGroup('r');
    expect(await fg.getOnlineBatch(['k3', 'k4', 'k5'])).toEqual([{ id: 'k3', day: '2024-01-05', v: 300 }, undefined, { id: 'k5', day: '2024-01-01', v: 5 }]);
    expect((await verifyStore(again)).problems).toEqual([]);
    redis.cli('FLUSHDB');
    const full = await again.syncOnline();
    expect(full[0]).toMatchObject({ mode: 'full', from: undefined, written: 19, deleted: 0 });
    expect((await fg.getOnline('k3'))!.v).toBe(300);
  });

  it('names an unreachable Redis at open and changes nothing; a URL of the wrong shape is a ConfigError', async () => {
    const dir = join(tempDir(), 'new-store');
    const dead = 'redis://127.0.0.1:1/0';
    const error = await FeatureStore.open({ dir, online: dead }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toMatch(/Redis online store at redis:\/\/127\.0\.0\.1:1\/0 cannot be reached \(connect ECONNREFUSED/);
    expect(existsSync(dir)).toBe(false);
    for (const bad of ['redis://', 'http://localhost:6379/0', 'redis://localhost:6379/zero', 'localhost:6379', 'redis://h:1/0?x=1']) {
      await expect(FeatureStore.open({ dir, online: bad })).rejects.toThrow(ConfigError);
    }
    const leaked = await FeatureStore.open({ dir, online: 'redis://:hunter2@localhost:99999/0' }).catch((e: Error) => e.message);
    expect(leaked).toMatch(/"redis:\/\/\*\*\*@localhost:99999\/0" is not a valid URL/);
    expect(leaked).not.toContain('hunter2');
    await expect(FeatureStore.open({ dir, online: 'redis://localhost:0/0' })).rejects.toThrow(/port 0 is not a port/);
    await expect(FeatureStore.open({ dir, online: 'redis://localhost:99999/0' })).rejects.toThrow(/is not a valid URL \(a host, and a port from 1 to 65535\)/);
    await expect(FeatureStore.open({ dir, online: 'redis://localhost:6379/zero' })).rejects.toThrow(
      /"\/zero" is not a database number; use memory, or redis:\/\/HOST:PORT\/DB/,
    );
  });

  it('tells a reader of a store never synced to Redis what to run', async () => {
    const dir = tempDir();
    await (await (await tempStore({ dir })).getOrCreateFeatureGroup(spec)).insert(rows(2, '2024-01-01', 0));
    await expect(FeatureStore.open({ dir, readOnly: true, online: redis.url })).rejects.toThrow(
      /has not been written with a Redis online store yet.*airq online sync/,
    );
  });

  it('keeps a commit Redis missed (a warning) and writes it to Redis at the next write once Redis is back', async () => {
    const own = await startRedis();
    const lines: string[] = [];
    const store = await tempStore({ online: own.url, log: createLogger('warn', (l) => lines.push(l)) });
    const fg = await store.getOrCreateFeatureGroup(spec);
    await fg.insert(rows(2, '2024-01-01', 0));
    await own.stop();
    const details = await fg.insert([{ id: 'k0', day: '2024-01-02', v: 7 }]);
    expect(details?.rowsInserted).toBe(1);
    expect(lines.join('')).toMatch(/commit \d+ of feature group r v1 is in the store, but Redis did not get it: .*airq online sync/);
    await expect(fg.getOnline('k0')).rejects.toThrow(UnavailableError);
    expect((await fg.read()).length).toBe(3);
    await own.restart(); // back, and empty
    const info = store.onlineStore;
    if (info.kind !== 'redis') throw new Error('expected Redis');
    // No write needed: the writer tries again by itself (every 5 s) until Redis has the commit it missed.
    await eventually(async () => expect((await fg.getOnlineBatch(['k0', 'k1'])).map((r) => r?.v)).toEqual([7, 1]), 30_000, 200);
    expect(info.kind).toBe('redis');
    expect((await verifyStore(store)).problems).toEqual([]);
  });

  it('lets a replica open while the first Redis writer is still open, and refuses a database the server does not have', async () => {
    const dir = tempDir();
    const writer = await tempStore({ dir, online: redis.url });
    // The writer published the store's new id as it opened: a replica started now finds the store in Redis.
    const early = await tempStore({ dir, online: redis.url, readOnly: true });
    expect(early.onlineStore).toMatchObject({ kind: 'redis' });
    await (await writer.getOrCreateFeatureGroup(spec)).insert(rows(2, '2024-01-01', 0));
    await writer.publish();
    const reader = await tempStore({ dir, online: redis.url, readOnly: true });
    expect((await reader.getFeatureGroup('r').getOnline('k1'))!.v).toBe(1);
    await expect(FeatureStore.open({ dir, online: `redis://127.0.0.1:${redis.port}/99` })).rejects.toThrow(
      /refused the connection \(ERR DB index is out of range\)/,
    );
  });

  it('syncs composite keys by their changes, rewrites a group in place on --full, and leaves alone keys another copy wrote', async () => {
    const dir = tempDir();
    const composite = {
      name: 'c',
      primaryKey: ['city', 'n'],
      onlineEnabled: true,
      schema: [
        { name: 'city', type: 'string' as const },
        { name: 'n', type: 'int' as const },
        { name: 'v', type: 'float' as const },
      ],
    };
    const first = await tempStore({ dir, online: redis.url });
    await (await first.getOrCreateFeatureGroup(composite)).insert([1, 2, 3].map((n) => ({ city: 'x', n, v: n })));
    await first.close();
    const memory = await tempStore({ dir });
    await memory.getFeatureGroup('c').insert([{ city: 'x', n: 1, v: 10 }]);
    await memory.getFeatureGroup('c').deleteRecords([{ city: 'x', n: 2 }]);
    await memory.close();
    const lines: string[] = [];
    const again = await tempStore({ dir, online: redis.url, log: createLogger('info', (l) => lines.push(l)) });
    expect(lines.join('')).toMatch(/c v1 now at commit 3 \(changed keys: 1 written, 1 removed\)/);
    const fg = again.getFeatureGroup('c');
    expect(
      (
        await fg.getOnlineBatch([
          ['x', 1],
          ['x', 2],
          ['x', 3],
        ])
      ).map((r) => r?.v),
    ).toEqual([10, undefined, 3]);
    const keysOf = () => redis.cli('--scan', '--pattern', `airq:*:g:c:1:*`).split('\n').filter(Boolean).length;
    expect(keysOf()).toBe(2);
    const [full] = await again.syncOnline({ full: true });
    expect(full).toMatchObject({ mode: 'full', written: 2, deleted: 0 });
    expect(keysOf()).toBe(2);
    await again.close();

    // A copy of the store (same id) that writes on: the original's writer must not overwrite Redis with older data.
    const copy = tempDir();
    cpSync(dir, copy, { recursive: true });
    const other = await tempStore({ dir: copy, online: redis.url });
    await other.getFeatureGroup('c').insert([{ city: 'x', n: 3, v: 30 }]);
    await other.close();
    lines.length = 0;
    const original = await tempStore({ dir, online: redis.url, log: createLogger('warn', (l) => lines.push(l)) });
    expect(lines.join('')).toMatch(/leaves Redis alone: Redis holds commit 4 of feature group c v1 but this store's last is 3: another copy/);
    expect((await original.getFeatureGroup('c').getOnline(['x', 3]))!.v).toBe(30);
    await original.syncOnline({ full: true });
    expect((await original.getFeatureGroup('c').getOnline(['x', 3]))!.v).toBe(3);
  });
});
