// The writer keeps Redis equal to the offline tables: after each commit (and at open) it writes the latest row of every key that the commits since Redis's watermark touched, or of all keys when the watermark is missing or older than an added column; while Redis misses a commit it retries.
import { ConflictError, errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { CommitClock } from '../commit-log.js';
import type { Database, WriteTx } from '../db/database.js';
import { ident } from '../db/values.js';
import type { FeatureGroupMeta, Row } from '../types.js';
import { labelOf, latestPerKeySql } from '../write/context.js';
import { onlineKey } from './memory-table.js';
import { RedisOnline } from './redis-online.js';

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

/** How long a writer waits before trying again to give Redis the commits it missed. */
const RETRY_MS = 5000;

export class OnlineSync {
  /** The groups each open write transaction changed (with their last commit before it), synced once after it commits. */
  private readonly staged = new WeakMap<WriteTx, Map<string, { meta: () => FeatureGroupMeta; before: number }>>();
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Groups whose Redis keys another copy of the store wrote (a newer commit than this store has): left alone until a full sync. */
  private readonly refused = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly redis: RedisOnline,
    private readonly commitClock: CommitClock,
    /** Every group of the store, as of now. */
    private readonly groups: () => FeatureGroupMeta[],
    private readonly log: Logger | undefined,
  ) {}

  /** Called by a write in `tx`: after COMMIT, before the write resolves, Redis gets the group's changes. */
  stage(tx: WriteTx, group: () => FeatureGroupMeta): void {
    let mine = this.staged.get(tx);
    if (!mine) {
      const groups = new Map<string, { meta: () => FeatureGroupMeta; before: number }>();
      this.staged.set(tx, groups);
      tx.afterCommit(async () => {
        for (const g of groups.values()) await this.syncOrWarn(g.meta(), { newGroup: g.before === 0 });
        await this.catchUp(); // and any group a failed write left behind
      });
      mine = groups;
    }
    const m = group();
    const key = `${m.name}@${m.version}`;
    if (!mine.has(key)) mine.set(key, { meta: group, before: this.commitClock.groupCommit(m.name, m.version) });
  }

  /** Syncs every online group Redis is behind on (one HGETALL when none is); on a failure, tries again in a while. */
  async catchUp(): Promise<void> {
    let ok = true;
    try {
      const marks = await this.redis.watermarks();
      for (const meta of this.groups()) {
        if (!meta.onlineEnabled || meta.schema === null || this.refused.has(RedisOnline.field(meta))) continue;
        if (marks.get(RedisOnline.field(meta)) !== this.commitClock.groupCommit(meta.name, meta.version))
          ok = (await this.syncOrWarn(meta)) !== undefined && ok;
      }
    } catch (e) {
      ok = false;
      this.log?.warn(`Redis online store: cannot check what it holds (${errorMessage(e)}); trying again in ${RETRY_MS / 1000} s`);
    }
    if (!ok) this.retryLater();
  }

  /** Stops retrying (the store is closing). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
  }

  private retryLater(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!this.stopped) void this.db.serialized(() => this.catchUp()).catch(() => this.retryLater());
    }, RETRY_MS);
    this.retry.unref();
  }

  /** Syncs a group; a failure is a warning (undefined), since the commit is in the store and a later sync repeats it. */
  async syncOrWarn(meta: FeatureGroupMeta, options: { newGroup?: boolean } = {}): Promise<SyncResult | undefined> {
    const commit = this.commitClock.groupCommit(meta.name, meta.version);
    try {
      return await this.syncGroup(meta, options);
    } catch (e) {
      if (e instanceof ConflictError) {
        this.refused.add(RedisOnline.field(meta));
        this.log?.warn(`commit ${commit} of ${labelOf(meta)} is in the store, but this writer leaves Redis alone: ${e.message}`);
        return undefined;
      }
      this.log?.warn(
        `commit ${commit} of ${labelOf(meta)} is in the store, but Redis did not get it: ${errorMessage(e)}. ` +
          `This writer tries again every ${RETRY_MS / 1000} s and after each commit; the next writer does it as it opens, and \`airq online sync\` now.`,
      );
      return undefined;
    }
  }

  /**
   * Brings Redis up to the group's last commit, by commit id. `newGroup`: the group had no commit before (its first keys
   * need no search for old ones); `full`: rewrite every key whatever the watermark says.
   */
  async syncGroup(meta: FeatureGroupMeta, options: { full?: boolean; newGroup?: boolean } = {}): Promise<SyncResult> {
    const to = this.commitClock.groupCommit(meta.name, meta.version);
    const result: SyncResult = { group: meta.name, version: meta.version, mode: 'none', from: undefined, to, written: 0, deleted: 0 };
    if (!meta.onlineEnabled || meta.schema === null) return result;
    const from = await this.redis.watermark(meta);
    result.from = from;
    if (options.full) this.refused.delete(RedisOnline.field(meta));
    if (from === to && !options.full) return result;
    if (from !== undefined && from > to && !options.full) {
      throw new ConflictError(
        `Redis holds commit ${from} of ${labelOf(meta)} but this store's last is ${to}: another copy of this store writes to the same ` +
          'Redis database, or the store was restored from an older copy. `airq online sync --full` makes Redis match this store',
      );
    }
    this.log?.debug(`Redis online store: writing commit ${to} of ${labelOf(meta)} (Redis holds ${from ?? 'none'})`);
    const since = from ?? (options.newGroup ? 0 : undefined);
    if (!options.full && since !== undefined && !(await this.alteredSince(meta, since))) {
      const { rows, gone } = await this.changedSince(meta, since);
      await this.redis.put(meta, rows, gone, to);
      return { ...result, mode: 'changes', written: rows.length, deleted: gone.length };
    }
    // Every key rewritten in place, then the keys no row has any more removed: readers never find the group empty.
    await this.redis.setWatermark(meta, undefined); // a sync cut short leaves no watermark: the next one starts over
    const rows = await this.latest(meta, '');
    await this.redis.put(meta, rows, [], undefined);
    const deleted = await this.redis.removeOthers(meta, new Set(rows.map((r) => r.entity)));
    await this.redis.setWatermark(meta, to);
    return { ...result, mode: 'full', written: rows.length, deleted };
  }

  /** Syncs each group in turn; with `warn`, a group that fails is a warning (retried later), not an error. */
  async syncAll(metas: readonly FeatureGroupMeta[], options: { full?: boolean; warn?: boolean } = {}): Promise<SyncResult[]> {
    const results: SyncResult[] = [];
    for (const meta of metas) {
      const r = options.warn ? await this.syncOrWarn(meta) : await this.syncGroup(meta, options);
      if (r) results.push(r);
      else if (!this.refused.has(RedisOnline.field(meta))) this.retryLater();
    }
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
