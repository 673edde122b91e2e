// The online store of one feature group version, behind one interface with two implementations: the in-process table (memory-online.ts) and Redis (redis-online.ts). FeatureGroup turns entity keys into key strings and asks it.
import type { Row } from '../types.js';

export interface GroupOnline {
  /** The latest row of a key (its onlineKey string), unless it has outlived the group's TTL. */
  get(key: string): Promise<Row | undefined>;
  /** Many keys at once (Redis: one round trip). */
  getMany(keys: readonly string[]): Promise<(Row | undefined)[]>;
  /** Makes the first lookup fast: memory loads its table from the offline table; Redis has nothing to load. */
  warm(): Promise<void>;
}
