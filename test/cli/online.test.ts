// `airq online status|sync` in-process: memory says so, a Redis URL of the wrong shape or an unreachable Redis stops the command at once with one clear line and changes nothing, and sync fills Redis so status shows every group in step.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { airq } from '../helpers/cli.js';
import { redisInstalled, startRedis } from '../helpers/redis.js';
import { tempDir, tempStore } from '../helpers/tmp.js';

async function smallStore(): Promise<string> {
  const dir = tempDir();
  const store = await tempStore({ dir });
  const fg = await store.getOrCreateFeatureGroup({
    name: 'places',
    primaryKey: 'id',
    onlineEnabled: true,
    schema: [
      { name: 'id', type: 'string' },
      { name: 'v', type: 'float' },
    ],
  });
  await fg.insert([
    { id: 'a', v: 1 },
    { id: 'b', v: 2 },
  ]);
  await store.close();
  return dir;
}

const files = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => `${f} ${statSync(join(dir, f)).mtimeMs}`);

describe('airq online', () => {
  it('says the online store is in memory, and refuses sync, a bad URL and an unreachable Redis with one line each', async () => {
    const dir = await smallStore();
    const memory = await airq(['online', 'status', '--store', dir]);
    expect([memory.code, memory.stdout]).toEqual([0, expect.stringMatching(/the online store is in memory/)]);
    const before = files(dir);
    const sync = await airq(['online', 'sync', '--store', dir]);
    expect([sync.code, sync.stderr]).toEqual([2, expect.stringMatching(/there is no Redis to sync \(set AIRQ_ONLINE_STORE=redis:\/\/HOST:PORT\/DB\)/)]);
    const bad = await airq(['online', 'status', '--store', dir], { AIRQ_ONLINE_STORE: 'redis://localhost:6379/zero' });
    expect(bad.stderr).toMatch(/^airq: AIRQ_ONLINE_STORE: "\/zero" is not a database number; use memory, or redis:\/\/HOST:PORT\/DB/);
    const down = await airq(['online', 'sync', '--store', dir], { AIRQ_ONLINE_STORE: 'redis://127.0.0.1:1/0' });
    expect(down.code).not.toBe(0);
    expect(down.stderr).toMatch(/the Redis online store at redis:\/\/127\.0\.0\.1:1\/0 cannot be reached \(connect ECONNREFUSED/);
    expect(files(dir)).toEqual(before);
    const unknown = await airq(['online', 'nope', '--store', dir]);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringMatching(/unknown subcommand "nope"; use: status, sync/)]);
  });

  it.skipIf(!redisInstalled())('sync fills Redis, and status then shows each group in step', async () => {
    const redis = await startRedis();
    const dir = await smallStore();
    const env = { AIRQ_ONLINE_STORE: redis.url };
    expect((await airq(['online', 'status', '--store', dir], env)).stderr).toMatch(/has not been written with a Redis online store yet.*airq online sync/);
    const sync = await airq(['online', 'sync', '--store', dir, '--json'], env);
    expect(sync.code).toBe(0);
    expect(JSON.parse(sync.stdout.trim().split('\n').at(-1)!)).toMatchObject({ synced: [{ group: 'places', mode: 'full', written: 2 }] });
    const status = await airq(['online', 'status', '--store', dir, '--json'], env);
    expect(JSON.parse(status.stdout.trim().split('\n').at(-1)!)).toMatchObject({
      kind: 'redis',
      ping: { ok: true },
      groups: [{ group: 'places', version: 1, redis: 1, commit: 1, state: 'in step' }],
    });
    expect(existsSync(join(dir, 'store.duckdb'))).toBe(true);
  });
});
