// The writer keeps Redis equal to the offline tables: after each commit (and at open) it writes the latest row of every key that the commits since Redis's watermark touched, or of all keys when the watermark is missing, ahead, or older than an added column.
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { CommitClock } from '../commit-log.js';
import type { Database, WriteTx } from '../db/database.js';
import { ident } from '../db/values.js';
import type { FeatureGroupMeta, Row } from '../types.js';
import { labelOf, latestPerKeySql } from '../write/context.js';
import { onlineKey } from './memory-table.js';
import type { RedisOnline } from './redis-online.js';

export interface SyncResult {
  group: string;
  version: number;
  /** none: Redis was up to date; changes: the keys the new commits touched; full: every key, rewritten. */
  mode: 'none' | 'changes' | 'full';
  /** The watermark before, and the commit Redis now reflects. */
  from: number | undefined;
  to: number;
  written: number;
  deleted: number;
}

export class OnlineSync {
  /** The groups each open write transaction changed, synced once after it commits. */
  private readonly staged = new WeakMap<WriteTx, Map<string, () => FeatureGroupMeta>>();

  constructor(
    private readonly db: Database,
    private readonly redis: RedisOnline,
    private readonly commitClock: CommitClock,
    private readonly log: Logger | undefined,
  ) {}

  /** Called by a write in `tx`: after COMMIT, before the write resolves, Redis gets the group's changes. */
  stage(tx: WriteTx, group: () => FeatureGroupMeta): void {
    let groups = this.staged.get(tx);
    if (!groups) {
      const mine = new Map<string, () => FeatureGroupMeta>();
      this.staged.set(tx, mine);
      tx.afterCommit(async () => {
        for (const meta of mine.values()) await this.syncOrWarn(meta());
      });
      groups = mine;
    }
    const m = group();
    groups.set(`${m.name}@${m.version}`, group);
  }

  /** Syncs a group after its commit; a Redis failure is a warning, since the commit is in the store and the next sync repeats it. */
  private async syncOrWarn(meta: FeatureGroupMeta): Promise<void> {
    try {
      this.log?.debug(`Redis online store: writing commit ${this.commitClock.groupCommit(meta.name, meta.version)} of ${labelOf(meta)}`);
      await this.syncGroup(meta);
    } catch (e) {
      const commit = this.commitClock.groupCommit(meta.name, meta.version);
      this.log?.warn(
        `commit ${commit} of ${labelOf(meta)} is in the store, but Redis did not get it: ${errorMessage(e)}. ` +
          "Redis catches up at the next write, at the next writer's open, or with `airq online sync`.",
      );
    }
  }

  /** Brings Redis up to the group's last commit, by commit id. */
  async syncGroup(meta: FeatureGroupMeta, options: { full?: boolean } = {}): Promise<SyncResult> {
    const to = this.commitClock.groupCommit(meta.name, meta.version);
    const result: SyncResult = { group: meta.name, version: meta.version, mode: 'none', from: undefined, to, written: 0, deleted: 0 };
    if (!meta.onlineEnabled || meta.schema === null) return result;
    const from = await this.redis.watermark(meta);
    result.from = from;
    if (from === to && !options.full) return result;
    const full = options.full === true || from === undefined || from > to || (await this.alteredSince(meta, from));
    if (full) {
      await this.redis.setWatermark(meta, undefined); // a sync cut short leaves no watermark: the next one starts over
      await this.redis.clearGroup(meta);
    }
    const { rows, gone } = full ? { rows: await this.latest(meta, ''), gone: [] } : await this.changedSince(meta, from!);
    await this.redis.put(meta, rows, gone, to);
    return { ...result, mode: full ? 'full' : 'changes', written: rows.length, deleted: gone.length };
  }

  async syncAll(metas: readonly FeatureGroupMeta[], options: { full?: boolean } = {}): Promise<SyncResult[]> {
    const results: SyncResult[] = [];
    for (const meta of metas) results.push(await this.syncGroup(meta, options));
    return results;
  }

  private async alteredSince(meta: FeatureGroupMeta, commit: number): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT count(*)::INTEGER AS n FROM airq_commits WHERE fg_name = $1 AND fg_version = $2 AND commit_id > $3 AND operation = 'alter'`,
      [meta.name, meta.version, commit],
    );
    return Number(rows[0]?.n ?? 0) > 0;
  }

  /** The keys that commits after `commit` inserted, replaced or deleted: their latest rows now, and the ones left with none. */
  private async changedSince(meta: FeatureGroupMeta, commit: number) {
    const pk = meta.primaryKey;
    const ids = pk.map(ident).join(', ');
    const touchedSql = `SELECT DISTINCT ${ids} FROM ${ident(meta.table)} WHERE _commit_id > ${commit} OR _valid_to > ${commit}`;
    const touched = (await this.db.query(touchedSql)).map((r) => onlineKey(pk.map((k) => (r[k] ?? null) as Row[string])));
    if (touched.length === 0) return { rows: [], gone: [] };
    const within = `(${pk.map((k) => `t.${ident(k)}`).join(', ')}) IN (SELECT (${ids}) FROM (${touchedSql}))`;
    const rows = await this.latest(meta, within);
    const have = new Set(rows.map((r) => r.entity));
    return { rows, gone: touched.filter((k) => !have.has(k)) };
  }

  private async latest(meta: FeatureGroupMeta, where: string): Promise<{ entity: string; row: Row }[]> {
    const out: { entity: string; row: Row }[] = [];
    await this.db.queryBatches(latestPerKeySql(meta, where), undefined, (rows) => {
      for (const r of rows as Row[]) out.push({ entity: onlineKey(meta.primaryKey.map((k) => r[k] ?? null)), row: r });
    });
    return out;
  }
}
