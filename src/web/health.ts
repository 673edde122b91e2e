// GET /health for load balancers and probes: whether this replica can serve, the snapshot (commit) it serves, its online
// store and uptime; 503 when the store cannot be read. Needs no token, so with one set it names no directory and no detail.
import type { ServerResponse } from 'node:http';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Moments } from '../airquality/services/moment.js';

/** What the online store says of itself. */
export interface OnlineStoreHealth {
  /** `memory` (in this process); a networked store names itself (e.g. `redis`). */
  kind: string;
  ok: boolean;
  /** Round trip of the check, when it made one (a Redis PING). */
  ms?: number;
  /** Why it is not ok (left out of the answer when a token is set). */
  error?: string;
  /** Redis: the online groups whose last commit in the served snapshot Redis does not hold yet (stale values). */
  behind?: string[];
}

/** How /health checks the online store: Redis is pinged (with its round trip); the in-process store is up whenever the process is. */
async function onlineHealth(moments: Moments): Promise<OnlineStoreHealth> {
  return moments(async ({ store }) => {
    const online = store.onlineStore;
    if (online.kind === 'memory') return { kind: 'memory', ok: true };
    const ping = await online.ping();
    if (!ping.ok) return { kind: 'redis', ok: false, error: ping.error };
    // Groups whose commits in the snapshot served here Redis does not hold yet (its writer could not write them).
    const behind = (await store.onlineWatermarks()).filter((w) => (w.redis ?? 0) < w.commit).map((w) => `${w.group} v${w.version}`);
    return { kind: 'redis', ok: true, ms: Math.round(ping.ms * 100) / 100, ...(behind.length > 0 ? { behind } : {}) };
  });
}

export interface HealthOptions {
  moments: Moments;
  startedAt: number;
  /** A token is set: the answer names no path and no error detail (anyone may ask). */
  private: boolean;
  log: Logger;
}

/** The snapshot (and its last commit) this replica serves, after one real read of the store; throws when it cannot be read. */
async function storeHealth(moments: Moments, reveal: boolean) {
  return moments(async ({ store }) => {
    const group = store.listFeatureGroups().find((g) => g.meta.schema !== null);
    if (group) await group.select([group.meta.primaryKey[0]!]).limit(1).read();
    const s = store.snapshot;
    return { ...(reveal ? { dir: store.dir } : {}), snapshot: s ? { name: s.name, commit: s.commit, publishedAt: s.publishedAt } : null };
  });
}

/** Answers GET (or HEAD) /health: 200 when the store and the online store answer, else 503. */
export async function serveHealth(res: ServerResponse, options: HealthOptions): Promise<void> {
  const reveal = !options.private;
  const uptimeSeconds = Math.round((Date.now() - options.startedAt) / 1000);
  let body: Record<string, unknown>;
  try {
    const [store, online] = await Promise.all([storeHealth(options.moments, reveal), onlineHealth(options.moments)]);
    const ok = online.ok;
    const onlineShown = reveal ? online : { ...online, error: undefined };
    body = { status: ok ? 'ok' : 'unavailable', store, onlineStore: onlineShown, uptimeSeconds };
  } catch (e) {
    options.log.warn(`health: the store cannot be read: ${errorMessage(e)}`);
    body = { status: 'unavailable', error: reveal ? `the store cannot be read: ${errorMessage(e).split('\n')[0]}` : 'the store cannot be read', uptimeSeconds };
  }
  res.writeHead(body.status === 'ok' ? 200 : 503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
