// A feature group: a thin handle over its offline table, online table, expectations and commit log.
import { ValidationError } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { parseOrThrow } from '../core/validate.js';
import { getCommit, listCommits, resolveCommitRef, type CommitDetails, type CommitInfo, type CommitRef } from './commit-log.js';
import { ident } from './db/values.js';
import { evaluateSuite } from './expectations/evaluate.js';
import { ExpectationSuiteSchema, type ExpectationSuiteInput, type ValidationReport } from './expectations/schema.js';
import { onlineKey } from './online/memory-table.js';
import { MemoryOnline } from './online/memory-online.js';
import type { GroupOnline } from './online/online-store.js';
import { RedisGroupOnline, type RedisOnline } from './online/redis-online.js';
import { Query } from './query/query.js';
import type { Filter } from './query/filter.js';
import { snapshotCondition } from './query/snapshot.js';
import { INVALID, inferSchema, normalizeRows, normalizeValue } from './schema.js';
import { computeStatistics, type Statistics } from './statistics.js';
import {
  FeatureSpecSchema,
  type FeatureSpec,
  type FeatureGroupMeta,
  type FeatureType,
  type FeatureValue,
  type InputRow,
  type InputValue,
  type Row,
} from './types.js';
import { z } from 'zod';
import { appendFeatures, defineSchema, setExpectationSuite, type NewFeature } from './write/alter.js';
import { identityColumns, labelOf, type GroupContext } from './write/context.js';
import { deleteRows } from './write/delete.js';
import { insertRows } from './write/insert.js';
import { VectorSearch, type Neighbor, type NeighborOptions } from './vector/neighbors.js';

/** A primary-key value (single-column keys), the key values in key order, or an object with the key columns. */
export type EntityKey = InputValue | readonly InputValue[] | Readonly<Record<string, InputValue>>;

const NewFeaturesSchema = z
  .array(FeatureSpecSchema.extend({ default: z.union([z.string(), z.number(), z.boolean(), z.null(), z.date()]).optional() }))
  .min(1)
  .max(1000);

export class FeatureGroup {
  private readonly ctx: GroupContext;
  private readonly vectors: VectorSearch;
  /** Where online lookups go: the in-process table (kept in step by commits here), or Redis (kept by the writer's sync). */
  private readonly online: GroupOnline;

  constructor(
    base: Omit<GroupContext, 'meta' | 'setMeta' | 'loadedOnline' | 'dropOnline'> & { vectorsDir: string; log?: Logger; remote?: RedisOnline },
    private current: FeatureGroupMeta,
    private readonly clock: Clock,
  ) {
    const meta = () => this.current;
    const memory = base.remote ? undefined : new MemoryOnline(base.db, meta, () => this.clock.now().getTime());
    this.online = memory ?? new RedisGroupOnline(base.remote!, meta);
    this.ctx = {
      ...base,
      meta,
      setMeta: (m) => {
        this.current = m;
      },
      loadedOnline: () => memory?.loaded(),
      dropOnline: () => memory?.drop(),
    };
    this.vectors = new VectorSearch({
      db: base.db,
      vectorsDir: base.vectorsDir,
      readOnly: base.db.readOnly,
      meta: () => this.current,
      serialized: (fn) => base.db.serialized(fn),
      storeCommit: () => base.commitClock.committed,
      log: base.log,
    });
  }

  get name(): string {
    return this.current.name;
  }
  get version(): number {
    return this.current.version;
  }
  get description(): string {
    return this.current.description;
  }
  get primaryKey(): readonly string[] {
    return this.current.primaryKey;
  }
  get eventTime(): string | undefined {
    return this.current.eventTime;
  }
  get onlineEnabled(): boolean {
    return this.current.onlineEnabled;
  }
  /** The id of this group's last commit as this process knows it (0 before the first): it keys caches of answers read from it. */
  get lastCommitId(): number {
    return this.ctx.commitClock.groupCommit(this.current.name, this.current.version);
  }
  /** The full definition as stored in the catalog. */
  get meta(): Readonly<FeatureGroupMeta> {
    return this.current;
  }

  // ---- writes -------------------------------------------------------------------------------

  /**
   * Upserts rows on (primary key, event time) as one atomic commit; null when there was nothing to write.
   * The rows are read, not copied, until the promise settles: do not change them meanwhile.
   */
  insert(rows: readonly InputRow[]): Promise<CommitDetails | null> {
    return insertRows(this.ctx, rows);
  }

  deleteRecords(keys: readonly InputRow[]): Promise<CommitDetails | null> {
    return deleteRows(this.ctx, keys);
  }

  appendFeatures(features: readonly NewFeature[]): Promise<void> {
    const parsed = parseOrThrow(NewFeaturesSchema, features, 'new features');
    return appendFeatures(this.ctx, parsed);
  }

  /** For a group created without a schema and still empty: fixes its schema now. */
  defineSchema(schema: readonly FeatureSpec[]): Promise<void> {
    return defineSchema(this.ctx, parseOrThrow(z.array(FeatureSpecSchema).min(1).max(1000), schema, 'schema'));
  }

  setExpectationSuite(suite: ExpectationSuiteInput | undefined): Promise<void> {
    const parsed = suite === undefined ? undefined : parseOrThrow(ExpectationSuiteSchema, suite, 'expectation suite');
    return setExpectationSuite(this.ctx, parsed);
  }

  // ---- offline reads ------------------------------------------------------------------------

  selectAll(): Query {
    return new Query({ db: this.ctx.db, meta: () => this.current });
  }
  select(columns: readonly string[]): Query {
    return this.selectAll().select(columns);
  }
  selectExcept(columns: readonly string[]): Query {
    const drop = new Set(columns);
    return this.select((this.current.schema ?? []).map((f) => f.name).filter((n) => !drop.has(n)));
  }
  filter(f: Filter): Query {
    return this.selectAll().filter(f);
  }
  asOf(ref: CommitRef, options: { excludeUntil?: CommitRef } = {}): Query {
    return this.selectAll().asOf(ref, options);
  }
  read(): Promise<Row[]> {
    return this.selectAll().read();
  }
  /** The number of current rows. */
  count(): Promise<number> {
    return this.selectAll().count();
  }

  // ---- online reads -------------------------------------------------------------------------

  /**
   * The latest row for a key, unless it is older than the group's TTL; undefined when there is none. Not an async
   * function: the online store's own promise is the answer (a wrapping one cost a third of a hot lookup).
   */
  getOnline(key: EntityKey): Promise<Row | undefined> {
    try {
      this.checkOnline();
      return this.online.get(this.keyString(key));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** The latest rows for many keys (with Redis, one round trip). */
  async getOnlineBatch(keys: readonly EntityKey[]): Promise<(Row | undefined)[]> {
    this.checkOnline();
    return this.online.getMany(keys.map((k) => this.keyString(k)));
  }

  /** Loads the online table from the offline table (done once, lazily; callable to warm up). With Redis there is nothing to load. */
  async loadOnline(): Promise<void> {
    this.checkOnline();
    await this.online.warm();
  }

  private checkOnline(): void {
    if (!this.current.onlineEnabled) throw new ValidationError(`${labelOf(this.current)} is not online-enabled; create it with onlineEnabled: true`);
  }

  /** The key column types of the current definition (a lookup is hot: worked out once per definition). */
  private keyTypesFor: { meta: FeatureGroupMeta; types: FeatureType[] } | undefined;

  private keyTypes(meta: FeatureGroupMeta): FeatureType[] {
    if (this.keyTypesFor?.meta !== meta) {
      const types = new Map(meta.schema?.map((f) => [f.name, f.type]) ?? []);
      this.keyTypesFor = { meta, types: meta.primaryKey.map((k) => types.get(k) ?? 'string') };
    }
    return this.keyTypesFor.types;
  }

  private keyString(key: EntityKey): string {
    const meta = this.current;
    const pk = meta.primaryKey;
    const types = this.keyTypes(meta);
    // The common case, one string key column looked up by a string, needs no normalising.
    if (typeof key === 'string' && types.length === 1 && types[0] === 'string') return key;
    let values: readonly InputValue[];
    if (Array.isArray(key)) values = key as readonly InputValue[];
    else if (key !== null && typeof key === 'object' && !(key instanceof Date)) {
      const obj = key as Readonly<Record<string, InputValue>>;
      values = pk.map((k) => obj[k]);
    } else values = [key as InputValue];
    if (values.length !== pk.length) {
      throw new ValidationError(`${labelOf(meta)}: a key has ${pk.length} value(s) (${pk.join(', ')}), got ${values.length}`);
    }
    const normalized: FeatureValue[] = values.map((v, i) => {
      const type = types[i]!;
      const n = normalizeValue(type, v);
      if (n === INVALID || n === null) {
        throw new ValidationError(`${labelOf(meta)}: key column "${pk[i]}" needs a ${type} value, got ${JSON.stringify(v)}`, {
          column: pk[i],
        });
      }
      return n;
    });
    return onlineKey(normalized);
  }

  // ---- vector search ------------------------------------------------------------------------

  /**
   * The k rows whose embedding is nearest to a vector, or to a text embedded with `options.embedder`
   * (which must be the column's model). The HNSW index catches up with every commit first, so a
   * row written by the last insert is found by the next search. With a filter, k rows come back
   * whenever k rows match.
   */
  findNeighbors(query: string | ArrayLike<number>, options: NeighborOptions = {}): Promise<Neighbor[]> {
    return this.vectors.find(query, options);
  }

  /** Writes the vector indexes' unsaved changes (FeatureStore.close does this). */
  saveIndexes(): void {
    this.vectors.save();
  }

  // ---- validation, statistics, commits ------------------------------------------------------

  /** Runs the expectation suite over `rows` without writing anything (a dry run of insert's validation). */
  async validate(rows: readonly InputRow[]): Promise<ValidationReport | null> {
    const meta = this.current;
    if (!meta.expectations) return null;
    const label = labelOf(meta);
    const schema = meta.schema ?? inferSchema(label, rows);
    const normalized = normalizeRows(label, schema, rows, identityColumns(meta));
    // Against the table, the dry run can only see clashes within the batch; insert checks both.
    return evaluateSuite(meta.expectations, normalized, async () => ({ count: 0, sample: [] }));
  }

  /** Statistics of the current rows, or of the rows as of a commit. */
  async computeStatistics(options: { asOf?: CommitRef } = {}): Promise<Statistics> {
    const meta = this.current;
    if (meta.schema === null) return { rowCount: 0, columns: [] };
    const asOf = options.asOf === undefined ? undefined : await resolveCommitRef(this.ctx.db, options.asOf);
    const from = `FROM ${ident(meta.table)} WHERE ${snapshotCondition(asOf === undefined ? {} : { asOf })}`;
    return computeStatistics((sql, p) => this.ctx.db.query(sql, p), meta.schema, from);
  }

  /** The commit log, newest first. */
  commits(options: { limit?: number } = {}): Promise<CommitInfo[]> {
    return listCommits(this.ctx.db, this.name, this.version, options.limit);
  }

  /** One commit with its validation report and statistics. */
  commit(commitId: number): Promise<CommitDetails> {
    return getCommit(this.ctx.db, this.name, this.version, commitId);
  }
}
