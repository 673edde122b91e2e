// The online store of one feature group: the latest row per primary key, in memory, for microsecond lookups.
import { isoDateToEpochDays } from '../core/dates.js';
import type { FeatureValue, Row } from './types.js';

interface Entry {
  row: Readonly<Row>;
  /** Event time in epoch ms (0 when the group has no event time). */
  eventMs: number;
}

/** Joins key values into one map key; \u0001 cannot appear in a normalised key by accident of formatting. */
export function onlineKey(values: readonly FeatureValue[]): string {
  return values.length === 1 ? String(values[0]) : values.map(String).join('\u0001');
}

function eventMsOf(row: Row, eventTime: string | undefined): number {
  if (eventTime === undefined) return 0;
  const v = row[eventTime];
  if (typeof v !== 'string') return 0;
  return v.length === 10 ? isoDateToEpochDays(v) * 86_400_000 : Date.parse(v);
}

/**
 * The latest row per key (highest event time; a tie goes to the newer commit). It is derived state:
 * the offline table is the source of truth, and the store rebuilds this from it on first use after open.
 */
export class OnlineTable {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly primaryKey: readonly string[],
    private readonly eventTime: string | undefined,
    /** Seconds an online row stays servable after its event time. */
    private readonly ttlSeconds: number | undefined,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  keyOfRow(row: Row): string {
    const pk = this.primaryKey;
    return pk.length === 1 ? String(row[pk[0]!]) : onlineKey(pk.map((k) => row[k] ?? null));
  }

  /**
   * Applies upserted rows: a row replaces the current one for its key unless that one is newer.
   * The rows become the table's own (frozen, not copied): callers hand over rows they no longer change.
   */
  upsert(rows: readonly Row[]): void {
    for (const row of rows) {
      const key = this.keyOfRow(row);
      const eventMs = eventMsOf(row, this.eventTime);
      const current = this.entries.get(key);
      if (current === undefined || eventMs >= current.eventMs) {
        this.entries.set(key, { row: Object.freeze(row), eventMs });
      }
    }
  }

  /** Replaces the entries of `keys` with `latest` (the rows that are now the latest for them, if any). */
  replace(keys: readonly string[], latest: readonly Row[]): void {
    for (const k of keys) this.entries.delete(k);
    this.upsert(latest);
  }

  /** The row for `key`, or undefined when there is none or it has outlived the TTL at `nowMs`. */
  get(key: string, nowMs: number): Readonly<Row> | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (this.ttlSeconds !== undefined && e.eventMs + this.ttlSeconds * 1000 < nowMs) return undefined;
    return e.row;
  }
}
