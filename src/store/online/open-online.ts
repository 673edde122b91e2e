// Which online store a FeatureStore uses as it opens: the in-process tables (default), or Redis, connected and checked before the store file opens; the writer names the store in Redis and brings Redis up to date.
import { randomUUID } from 'node:crypto';
import { parseOnlineStore, type OnlineStoreConfig } from '../../core/config.js';
import { ConfigError } from '../../core/errors.js';
import type { StoreParts } from '../open-store.js';
import type { FeatureGroupMeta } from '../types.js';
import { acquireRedis, type RedisHandle } from './redis-connection.js';
import { RedisOnline } from './redis-online.js';
import { OnlineSync } from './redis-sync.js';

/** The property that names a store in Redis: its keys start `airq:<id>:`, so stores can share a database. */
const ID_PROPERTY = 'store.id';

/** The library option: `memory`, a Redis URL, or a parsed config. */
export type OnlineOption = 'memory' | string | OnlineStoreConfig;

export function onlineConfigOf(option: OnlineOption | undefined): OnlineStoreConfig {
  if (option === undefined) return { kind: 'memory' };
  return typeof option === 'string' ? parseOnlineStore(option, 'the online option') : option;
}

/** Step one, before the store file opens: a Redis store that cannot be reached stops the open here. */
export async function connectOnline(config: OnlineStoreConfig): Promise<RedisHandle | undefined> {
  return config.kind === 'redis' ? acquireRedis(config) : undefined;
}

export interface OnlineParts {
  remote: RedisOnline;
  /** The writer's; readers only read. */
  sync: OnlineSync | undefined;
  /** For a writer of a store that has no id yet: stores the new id (once the writer counts its writes); true when it did. */
  saveId(): Promise<boolean>;
}

/** Step two, once the store is open: the store's id in Redis (a writer gives its store one), and the writer's sync. */
export function attachOnline(handle: RedisHandle, parts: StoreParts, groups: () => FeatureGroupMeta[]): OnlineParts {
  let id = parts.properties.get(ID_PROPERTY);
  let saveId = () => Promise.resolve(false);
  if (id === undefined) {
    if (parts.db.readOnly) {
      throw new ConfigError(
        `the store ${parts.dir} has not been written with a Redis online store yet (or its first such writer has not published ` +
          `a read snapshot yet), so Redis at ${handle.label} may hold nothing of it: run \`airq online sync\` once with the same ` +
          'AIRQ_ONLINE_STORE (it fills Redis from the offline tables), or wait for that writer',
      );
    }
    const fresh = randomUUID();
    id = fresh;
    saveId = async () => {
      await parts.properties.set(parts.db, ID_PROPERTY, fresh);
      return true;
    };
  }
  if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id))
    throw new ConfigError(`the store's property "${ID_PROPERTY}" is not a store id; delete it and open the store as its writer`);
  const remote = new RedisOnline(handle, id, parts.clock);
  const sync = parts.db.readOnly ? undefined : new OnlineSync(parts.db, remote, parts.commitClock, groups, parts.log);
  return { remote, sync, saveId };
}

/** A writer that keeps its online tables in memory, on a store whose replicas read Redis: they will not see its commits. */
export function warnIfRedisReaders(parts: StoreParts): void {
  if (parts.db.readOnly || parts.properties.get(ID_PROPERTY) === undefined) return;
  parts.log?.warn(
    'this store has been served from Redis, but this writer keeps its online store in memory (AIRQ_ONLINE_STORE is unset): ' +
      'processes reading Redis will not see its commits until a writer opens with AIRQ_ONLINE_STORE set (or `airq online sync`)',
  );
}
