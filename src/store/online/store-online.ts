// What a FeatureStore says and does about its online store: which one it is, the writer's syncs to Redis (at open and on demand) with their log lines, and Redis's watermarks against each group's last commit.
import { ValidationError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Database } from '../db/database.js';
import type { FeatureGroupMeta } from '../types.js';
import type { OnlineParts } from './open-online.js';
import { RedisOnline } from './redis-online.js';
import type { SyncResult } from './redis-sync.js';

export type OnlineStoreInfo = { kind: 'memory' } | { kind: 'redis'; server: string; namespace: string; ping(): ReturnType<RedisOnline['ping']> };

export interface Watermark {
  group: string;
  version: number;
  /** The group's last commit in this store (or snapshot). */
  commit: number;
  /** The commit Redis holds (undefined: not synced). */
  redis: number | undefined;
}

export function onlineInfo(online: OnlineParts | undefined): OnlineStoreInfo {
  const r = online?.remote;
  return r ? { kind: 'redis', server: r.label, namespace: r.namespace, ping: () => r.ping() } : { kind: 'memory' };
}

function logSync(log: Logger | undefined, r: SyncResult): void {
  if (r.mode === 'none') return;
  const what = `${r.mode === 'full' ? 'all keys' : 'changed keys'}: ${r.written} written, ${r.deleted} removed`;
  log?.info(`Redis online store: ${r.group} v${r.version} now at commit ${r.to} (${what})`);
}

/**
 * The writer's open: a new store id is published at once (replicas need it to find the store's keys), then what Redis
 * missed (a writer killed before its Redis write, Redis down) is written; a group that fails is a warning, retried.
 */
export async function syncAtOpen(online: OnlineParts, groups: () => FeatureGroupMeta[], publish: () => Promise<void>, log?: Logger): Promise<SyncResult[]> {
  if (!online.sync) return [];
  if (await online.saveId()) await publish();
  const results = await online.sync.syncAll(groups(), { warn: true });
  for (const r of results) logSync(log, r);
  return results;
}

/** On demand (`airq online sync`), in the write lock, so a commit's own sync never interleaves with this one. */
export async function syncNow(
  online: OnlineParts | undefined,
  db: Database,
  groups: () => FeatureGroupMeta[],
  options: { full?: boolean },
  log?: Logger,
): Promise<SyncResult[]> {
  const sync = online?.sync;
  if (!sync) {
    throw new ValidationError(
      online ? 'a read-only store cannot write to Redis; open it as the writer' : 'this store keeps its online tables in memory: there is no Redis to sync',
    );
  }
  const results = await db.serialized(() => sync.syncAll(groups(), options));
  for (const r of results) logSync(log, r);
  return results;
}

/** Each online group's last commit and the commit Redis holds; empty with the in-memory store. */
export async function watermarksOf(online: OnlineParts | undefined, groups: readonly { meta: FeatureGroupMeta; lastCommitId: number }[]): Promise<Watermark[]> {
  const r = online?.remote;
  if (!r) return [];
  const marks = await r.watermarks();
  return groups
    .filter((g) => g.meta.onlineEnabled && g.meta.schema !== null)
    .map((g) => ({ group: g.meta.name, version: g.meta.version, commit: g.lastCommitId, redis: marks.get(RedisOnline.field(g.meta)) }));
}
