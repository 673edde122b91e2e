// GET /health on a replica reading Redis: the PING and its round trip, and which groups Redis lags behind the snapshot served (a writer that could not write to Redis); nothing of Redis's address with a token set.
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { FeatureStore, LiveStore } from '../../src/store/index.js';
import { momentsOf } from '../../src/airquality/services/moment.js';
import { startWebServer } from '../../src/web/server.js';
import { redisInstalled, startRedis } from '../helpers/redis.js';
import { beijingStore, copyStore, removeStoreCopy } from '../helpers/stores.js';

const built = beijingStore();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function serve(live: LiveStore, token?: string): Promise<string> {
  const agent = { ask: () => Promise.reject(new Error('no chat here')) };
  const web = await startWebServer({ moments: momentsOf(live), log: silentLogger, agent, token }, 0, '127.0.0.1');
  cleanups.push(() => new Promise<void>((r) => (web.server as Server).close(() => r())));
  return web.url;
}

describe.skipIf(!built || !redisInstalled())('GET /health with a Redis online store', () => {
  it('pings Redis, and names the groups Redis is behind on once a writer without Redis commits', { timeout: 120_000 }, async () => {
    const redis = await startRedis();
    const dir = copyStore(built!);
    cleanups.push(() => void removeStoreCopy(dir));
    await (await FeatureStore.open({ dir, online: redis.url })).close(); // fills Redis
    const live = await LiveStore.open({ dir, online: redis.url });
    cleanups.push(() => live.close());
    const base = await serve(live);
    const health = async (url = base) => (await (await fetch(`${url}/health`)).json()) as { status: string; onlineStore: Record<string, unknown> };
    const before = await health();
    expect(before.status).toBe('ok');
    expect(before.onlineStore).toMatchObject({ kind: 'redis', ok: true, ms: expect.any(Number) });
    expect(before.onlineStore.behind).toBeUndefined();

    const writer = await FeatureStore.open({ dir }); // AIRQ_ONLINE_STORE unset: Redis does not get this commit
    const places = writer.getFeatureGroup('locations');
    const [first] = await places.read();
    await places.insert([{ ...first!, name: `${String(first!.name)} (renamed)` }]);
    await writer.close();
    await live.catchUp();
    expect((await health()).onlineStore).toMatchObject({ kind: 'redis', ok: true, behind: ['locations v1'] });

    await redis.stop();
    const down = await fetch(`${await serve(live, 'secret')}/health`);
    expect(down.status).toBe(503);
    const body = JSON.stringify(await down.json());
    expect(body).toContain('"kind":"redis","ok":false');
    expect(body).not.toContain(String(redis.port)); // no address, no detail with a token set
  });
});
