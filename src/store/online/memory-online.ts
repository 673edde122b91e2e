// The in-process online store of one group: its table is loaded from the offline table on first use, kept in step by each commit (write/insert.ts, write/delete.ts), and dropped when the definition changes.
import type { Database } from '../db/database.js';
import type { FeatureGroupMeta, Row } from '../types.js';
import { latestPerKeySql } from '../write/context.js';
import { OnlineTable } from './memory-table.js';
import type { GroupOnline } from './online-store.js';

export class MemoryOnline implements GroupOnline {
  private table: OnlineTable | undefined;
  private loading: Promise<OnlineTable> | undefined;

  constructor(
    private readonly db: Database,
    private readonly meta: () => FeatureGroupMeta,
    /** The store clock's time in ms, for TTLs (asked only by groups that have one). */
    private readonly nowMs: () => number,
  ) {}

  get(key: string): Promise<Row | undefined> {
    const t = this.table;
    return t ? Promise.resolve(t.get(key, this.nowMs)) : this.load().then((l) => l.get(key, this.nowMs));
  }

  async getMany(keys: readonly string[]): Promise<(Row | undefined)[]> {
    const table = this.table ?? (await this.load());
    const now = this.nowMs();
    return keys.map((k) => table.get(k, () => now));
  }

  async warm(): Promise<void> {
    await this.load();
  }

  /** The table if it has been loaded (commits apply their rows to it); undefined otherwise. */
  loaded(): OnlineTable | undefined {
    return this.table;
  }

  /** Forgets the table, so the next lookup loads it with the definition of then. */
  drop(): void {
    this.table = undefined;
    this.loading = undefined;
  }

  /** Loads the table once, lazily, inside the write lock so no commit slips between the read and the table. */
  private load(): Promise<OnlineTable> {
    this.loading ??= this.db.serialized(async () => {
      // The definition as of now, inside the lock: a write queued before this load may have changed it.
      const now = this.meta();
      const table = new OnlineTable(now.primaryKey, now.eventTime, now.ttl, now.schema ?? []);
      if (now.schema !== null) await this.db.queryBatches(latestPerKeySql(now), undefined, (rows) => table.upsert(rows as Row[]));
      table.trim();
      this.table = table;
      return table;
    });
    return this.loading;
  }
}
