// The online store in Redis: one string per entity key per group version (the row's values in schema order, as JSON), read with GET and MGET; a hash holds, per group version, the commit its rows reflect.
import type { ChainableCommander, Redis } from 'ioredis';
import type { Clock } from '../../core/clock.js';
import type { FeatureGroupMeta, FeatureValue, Row } from '../types.js';
import { eventMsOf } from './memory-table.js';
import type { GroupOnline } from './online-store.js';
import { redisUnavailable, type RedisHandle } from './redis-connection.js';

/** Keys written per pipelined round trip by a sync (large enough to amortise the trip, small enough to bound memory). */
const CHUNK = 1000;

type Pipeline = ChainableCommander;

export class RedisOnline {
  constructor(
    private readonly handle: RedisHandle,
    /** The store's id: every key of this store starts `airq:<namespace>:`, so stores can share one Redis database. */
    readonly namespace: string,
    private readonly clock: Clock,
  ) {}

  get client(): Redis {
    return this.handle.client;
  }
  /** The server as messages name it. */
  get label(): string {
    return this.handle.label;
  }

  /** The key of one entity of a group version; `entity` is the store's key string (onlineKey). */
  key(meta: FeatureGroupMeta, entity: string): string {
    return `${this.prefix(meta)}${entity}`;
  }
  prefix(meta: FeatureGroupMeta): string {
    return `airq:${this.namespace}:g:${meta.name}:${meta.version}:`;
  }
  /** The hash of watermarks: field `<name>:<version>`, value the last commit id whose rows Redis holds. */
  get syncedKey(): string {
    return `airq:${this.namespace}:synced`;
  }
  static field(meta: FeatureGroupMeta): string {
    return `${meta.name}:${meta.version}`;
  }

  async get(meta: FeatureGroupMeta, entity: string): Promise<Row | undefined> {
    const text = await this.guard('could not be read', () => this.client.get(this.key(meta, entity)));
    return text === null ? undefined : this.decode(meta, text, this.clock.now().getTime());
  }

  /** Many entities of one group in one round trip (MGET). */
  async getMany(meta: FeatureGroupMeta, entities: readonly string[]): Promise<(Row | undefined)[]> {
    if (entities.length === 0) return [];
    const texts = await this.guard('could not be read', () => this.client.mget(entities.map((e) => this.key(meta, e))));
    const now = this.clock.now().getTime();
    return texts.map((t) => (t === null ? undefined : this.decode(meta, t, now)));
  }

  /** The commit each group version's rows in Redis reflect (absent: never synced, or being resynced). */
  async watermark(meta: FeatureGroupMeta): Promise<number | undefined> {
    const v = await this.guard('could not be read', () => this.client.hget(this.syncedKey, RedisOnline.field(meta)));
    return v === null ? undefined : Number(v);
  }

  async watermarks(): Promise<Map<string, number>> {
    const all = await this.guard('could not be read', () => this.client.hgetall(this.syncedKey));
    return new Map(Object.entries(all).map(([k, v]) => [k, Number(v)]));
  }

  /** A row as stored: its values in schema order. */
  encode(meta: FeatureGroupMeta, row: Row): string {
    return JSON.stringify(meta.schema!.map((f) => row[f.name] ?? null));
  }

  private decode(meta: FeatureGroupMeta, text: string, nowMs: number): Row | undefined {
    const values = JSON.parse(text) as FeatureValue[];
    const row: Row = {};
    // A reader with an older definition ignores appended columns; one with a newer definition sees nulls until the resync.
    meta.schema!.forEach((f, i) => (row[f.name] = values[i] ?? null));
    if (meta.ttl !== undefined && eventMsOf(row, meta.eventTime) + meta.ttl * 1000 < nowMs) return undefined;
    return row;
  }

  /**
   * Writes `rows` as the latest of their keys, deletes the `gone` keys, then sets the group's watermark to `commitId`
   * (none when undefined: the caller sets it later). A change of up to CHUNK keys is one MULTI (readers see all of it or
   * none); a larger one goes in pipelined chunks, the watermark last, so a failure midway leaves the watermark behind
   * and the next sync does it again.
   */
  async put(meta: FeatureGroupMeta, rows: readonly { entity: string; row: Row }[], gone: readonly string[], commitId: number | undefined): Promise<void> {
    const field = RedisOnline.field(meta);
    if (rows.length + gone.length <= CHUNK && commitId !== undefined) {
      const m = this.client.multi();
      this.addWrites(m, meta, rows, gone);
      return this.exec(m.hset(this.syncedKey, field, String(commitId)));
    }
    for (let i = 0; i < rows.length; i += CHUNK) await this.exec(this.addWrites(this.client.pipeline(), meta, rows.slice(i, i + CHUNK), []));
    for (let i = 0; i < gone.length; i += CHUNK) await this.exec(this.addWrites(this.client.pipeline(), meta, [], gone.slice(i, i + CHUNK)));
    if (commitId !== undefined) await this.setWatermark(meta, commitId);
  }

  private addWrites<P extends Pipeline>(p: P, meta: FeatureGroupMeta, rows: readonly { entity: string; row: Row }[], gone: readonly string[]): P {
    // Rows past their TTL are kept, as in memory: whether a row is still servable depends on the reader's clock (a
    // replay's --today), so every read checks the TTL, and a row goes when a newer one replaces it or its key is deleted.
    for (const { entity, row } of rows) p.set(this.key(meta, entity), this.encode(meta, row));
    if (gone.length > 0) p.unlink(...gone.map((e) => this.key(meta, e)));
    return p;
  }

  /**
   * Removes the keys of a group version that are not in `keep` (entity key strings), after a full resync rewrote the
   * others in place: readers never see the group empty. SCAN walks the whole database, so only full resyncs do this.
   */
  async removeOthers(meta: FeatureGroupMeta, keep: ReadonlySet<string>): Promise<number> {
    const prefix = this.prefix(meta);
    const match = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let [cursor, removed] = ['0', 0];
    do {
      const [next, keys] = await this.guard('could not be read', () => this.client.scan(cursor, 'MATCH', match, 'COUNT', CHUNK));
      const stale = keys.filter((k) => !keep.has(k.slice(prefix.length)));
      if (stale.length > 0) removed += await this.guard('could not be written', () => this.client.unlink(...stale));
      cursor = next;
    } while (cursor !== '0');
    return removed;
  }

  async setWatermark(meta: FeatureGroupMeta, commitId: number | undefined): Promise<void> {
    const field = RedisOnline.field(meta);
    await this.guard('could not be written', () =>
      commitId === undefined ? this.client.hdel(this.syncedKey, field) : this.client.hset(this.syncedKey, field, String(commitId)),
    );
  }

  /** Whether the server answers (for health checks), with the round trip in ms. */
  async ping(): Promise<{ ok: true; ms: number } | { ok: false; error: string }> {
    const t0 = performance.now();
    try {
      await this.client.ping();
      return { ok: true, ms: performance.now() - t0 };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }

  release(): Promise<void> {
    return this.handle.release();
  }

  private async exec(p: Pipeline): Promise<void> {
    const results = await this.guard('could not be written', () => p.exec());
    const failed = results?.find(([e]) => e !== null);
    if (failed) throw redisUnavailable(this.label, 'refused a write', failed[0]);
  }

  private async guard<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw redisUnavailable(this.label, doing, e);
    }
  }
}

/** One group's view of the Redis online store (a group with no schema yet has nothing online). */
export class RedisGroupOnline implements GroupOnline {
  constructor(
    private readonly redis: RedisOnline,
    private readonly meta: () => FeatureGroupMeta,
  ) {}

  get(key: string): Promise<Row | undefined> {
    const meta = this.meta();
    return meta.schema === null ? Promise.resolve(undefined) : this.redis.get(meta, key);
  }

  getMany(keys: readonly string[]): Promise<(Row | undefined)[]> {
    const meta = this.meta();
    return meta.schema === null ? Promise.resolve(keys.map(() => undefined)) : this.redis.getMany(meta, keys);
  }

  warm(): Promise<void> {
    return Promise.resolve();
  }
}
