// What a write to one feature group needs: the database, the commit clock, and the group's live definition.
import type { CommitClock } from '../commit-log.js';
import type { Database } from '../db/database.js';
import { ident } from '../db/values.js';
import type { OnlineTable } from '../online/memory-table.js';
import type { OnlineSync } from '../online/redis-sync.js';
import type { FeatureGroupMeta } from '../types.js';

export interface GroupContext {
  db: Database;
  commitClock: CommitClock;
  meta(): FeatureGroupMeta;
  /** Replaces the cached definition (called from onCommit only). */
  setMeta(meta: FeatureGroupMeta): void;
  /** The online table if it has been loaded into memory; undefined otherwise (it loads lazily). */
  loadedOnline(): OnlineTable | undefined;
  /** Forgets the in-memory online table so the next lookup reloads it. */
  dropOnline(): void;
  /** With a Redis online store, in the writer: what copies each commit to Redis (called in every write that commits). */
  onlineSync?: OnlineSync;
}

export function labelOf(meta: FeatureGroupMeta): string {
  return `feature group ${meta.name} v${meta.version}`;
}

/** The columns that identify a row version: the primary key, then the event time if there is one. */
export function identityColumns(meta: FeatureGroupMeta): string[] {
  return meta.eventTime === undefined ? [...meta.primaryKey] : [...meta.primaryKey, meta.eventTime];
}

/** `a.k1 = b.k1 AND a.k2 = b.k2 ...` over the given columns. */
export function joinOn(columns: readonly string[], a: string, b: string): string {
  return columns.map((c) => `${a}.${ident(c)} = ${b}.${ident(c)}`).join(' AND ');
}

/** SQL that selects the latest current row per primary key (the online view of the table). */
export function latestPerKeySql(meta: FeatureGroupMeta, extraWhere = ''): string {
  const cols = meta.schema!.map((f) => `t.${ident(f.name)}`).join(', ');
  const where = `t._valid_to IS NULL${extraWhere ? ` AND ${extraWhere}` : ''}`;
  if (meta.eventTime === undefined) return `SELECT ${cols} FROM ${ident(meta.table)} t WHERE ${where}`;
  const partition = meta.primaryKey.map((k) => `t.${ident(k)}`).join(', ');
  return (
    `SELECT ${cols} FROM ${ident(meta.table)} t WHERE ${where} ` +
    `QUALIFY row_number() OVER (PARTITION BY ${partition} ORDER BY t.${ident(meta.eventTime)} DESC) = 1`
  );
}
