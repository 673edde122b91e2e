// The in-process online store of one feature group: the latest row per primary key, row-major in typed arrays (numbers)
// and one value array (the rest) indexed by key, for sub-microsecond lookups at ~200 bytes per key.
import { isoDateToEpochDays } from '../../core/dates.js';
import type { FeatureSpec, FeatureValue, Row } from '../types.js';

/** Joins key values into one map key; \u0001 cannot appear in a normalised key by accident of formatting. */
export function onlineKey(values: readonly FeatureValue[]): string {
  return values.length === 1 ? String(values[0]) : values.map(String).join('\u0001');
}

/** A row's event time in ms since the epoch (0 without an event time column), what "latest" and TTLs compare. */
export function eventMsOf(row: Row, eventTime: string | undefined): number {
  if (eventTime === undefined) return 0;
  const v = row[eventTime];
  if (typeof v !== 'string') return 0;
  return v.length === 10 ? isoDateToEpochDays(v) * 86_400_000 : Date.parse(v);
}

/** Where a column lives: numbers and booleans in the numeric block (NaN = null, 1/0 for true/false), the rest as values. */
interface Place {
  name: string;
  block: 'number' | 'bool' | 'value';
  /** The column's offset within its block's stride. */
  at: number;
}

type MakeRow = (nums: Float64Array, vals: FeatureValue[], nb: number, vb: number) => Row;

/**
 * A function that builds one row as an object literal of the schema's columns in order: V8 gives every row the
 * same shape at once, twice as fast as adding the properties in a loop. Names are quoted with JSON.stringify.
 */
function rowMaker(places: readonly Place[]): MakeRow {
  const fields = places.map((p) => {
    const key = JSON.stringify(p.name);
    if (p.block === 'value') return `${key}: vals[vb + ${p.at}] ?? null`;
    const read = `(v = nums[nb + ${p.at}], v !== v ? null : `;
    return `${key}: ${read}${p.block === 'bool' ? 'v === 1' : 'v'})`;
  });
  return new Function('nums', 'vals', 'nb', 'vb', `let v; return { ${fields.join(', ')} };`) as MakeRow;
}

/**
 * The latest row per key (highest event time; a tie goes to the newer commit). It is derived state:
 * the offline table is the source of truth, and the store rebuilds this from it on first use after open.
 * Rows are kept column by column and a lookup builds a fresh row object, so callers may keep or change it.
 */
export class OnlineTable {
  private readonly slots = new Map<string, number>();
  /** Row-major blocks: a lookup reads one or two cache lines, not one per column. */
  private nums: Float64Array;
  private readonly vals: FeatureValue[];
  private eventMs: Float64Array;
  private readonly places: Place[];
  private readonly numStride: number;
  private readonly valStride: number;
  private readonly makeRow: MakeRow;
  private readonly free: number[] = [];
  private used = 0;

  constructor(
    private readonly primaryKey: readonly string[],
    private readonly eventTime: string | undefined,
    /** Seconds an online row stays servable after its event time. */
    private readonly ttlSeconds: number | undefined,
    schema: readonly FeatureSpec[],
  ) {
    let [n, v] = [0, 0];
    this.places = schema.map((f) => {
      if (f.type === 'float' || f.type === 'int') return { name: f.name, block: 'number', at: n++ };
      if (f.type === 'bool') return { name: f.name, block: 'bool', at: n++ };
      return { name: f.name, block: 'value', at: v++ };
    });
    [this.numStride, this.valStride] = [n, v];
    this.makeRow = rowMaker(this.places);
    this.nums = new Float64Array(16 * n);
    this.vals = [];
    this.eventMs = new Float64Array(16);
  }

  get size(): number {
    return this.slots.size;
  }

  keyOfRow(row: Row): string {
    const pk = this.primaryKey;
    return pk.length === 1 ? String(row[pk[0]!]) : onlineKey(pk.map((k) => row[k] ?? null));
  }

  /** Applies upserted rows: a row replaces the current one for its key unless that one is newer. */
  upsert(rows: readonly Row[]): void {
    for (const row of rows) {
      const key = this.keyOfRow(row);
      const eventMs = eventMsOf(row, this.eventTime);
      let slot = this.slots.get(key);
      if (slot !== undefined && eventMs < this.eventMs[slot]!) continue;
      if (slot === undefined) {
        slot = this.allocate();
        this.slots.set(key, slot);
      }
      this.eventMs[slot] = eventMs;
      this.write(slot, row);
    }
  }

  /** Replaces the entries of `keys` with `latest` (the rows that are now the latest for them, if any). */
  replace(keys: readonly string[], latest: readonly Row[]): void {
    for (const k of keys) {
      const slot = this.slots.get(k);
      if (slot === undefined) continue;
      this.slots.delete(k);
      this.write(slot, {});
      this.free.push(slot);
    }
    this.upsert(latest);
  }

  /** Gives the blocks exactly the room their rows take (after a bulk load, which grows them by doubling). */
  trim(): void {
    if (this.used === this.eventMs.length) return;
    this.nums = this.nums.slice(0, this.used * this.numStride);
    this.eventMs = this.eventMs.slice(0, this.used);
  }

  /** The row for `key`, or undefined when there is none or it has outlived the TTL at `nowMs()` (asked only with a TTL). */
  get(key: string, nowMs: () => number): Row | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    if (this.ttlSeconds !== undefined && this.eventMs[slot]! + this.ttlSeconds * 1000 < nowMs()) return undefined;
    return this.makeRow(this.nums, this.vals, slot * this.numStride, slot * this.valStride);
  }

  private allocate(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.used === this.eventMs.length) {
      const capacity = Math.max(16, this.used * 2);
      const nums = new Float64Array(capacity * this.numStride);
      nums.set(this.nums);
      this.nums = nums;
      const eventMs = new Float64Array(capacity);
      eventMs.set(this.eventMs);
      this.eventMs = eventMs;
    }
    return this.used++;
  }

  private write(slot: number, row: Row): void {
    const [nb, vb] = [slot * this.numStride, slot * this.valStride];
    for (const p of this.places) {
      const v = row[p.name];
      if (p.block === 'number') this.nums[nb + p.at] = typeof v === 'number' ? v : NaN;
      else if (p.block === 'bool') this.nums[nb + p.at] = typeof v === 'boolean' ? (v ? 1 : 0) : NaN;
      else this.vals[vb + p.at] = v ?? null;
    }
  }
}
