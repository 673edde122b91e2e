// A read of one feature group: select, filter, time travel (asOf / incremental), order and limit.
import { ValidationError } from '../../core/errors.js';
import { resolveCommitRef, type CommitRef } from '../commit-log.js';
import type { Database, Params } from '../db/database.js';
import { ident } from '../db/values.js';
import type { FeatureGroupMeta, Row } from '../types.js';
import { compileFilter, and, type Filter } from './filter.js';
import { snapshotCondition, type Snapshot } from './snapshot.js';

interface QueryState {
  columns?: readonly string[];
  filter?: Filter;
  asOf?: CommitRef;
  excludeUntil?: CommitRef;
  orderBy?: readonly { column: string; descending: boolean }[];
  limit?: number;
}

export interface QuerySource {
  db: Database;
  /** The group's definition now (the schema may have grown since the query was built). */
  meta(): FeatureGroupMeta;
}

/** Immutable: every method returns a new query. Nothing runs until `read()` or `count()`. */
export class Query {
  constructor(
    private readonly source: QuerySource,
    private readonly state: QueryState = {},
  ) {}

  private with(patch: Partial<QueryState>): Query {
    return new Query(this.source, { ...this.state, ...patch });
  }

  select(columns: readonly string[]): Query {
    if (columns.length === 0) throw new ValidationError('select needs at least one column');
    return this.with({ columns: [...columns] });
  }

  /** Filters combine with AND. */
  filter(f: Filter): Query {
    return this.with({ filter: this.state.filter ? and(this.state.filter, f) : f });
  }

  /**
   * Time travel by ingestion time: the rows exactly as they were after the commit `ref` (a commit id
   * or a time). With `excludeUntil`, only the row versions written after that commit and up to `ref`.
   */
  asOf(ref: CommitRef, options: { excludeUntil?: CommitRef } = {}): Query {
    return this.with({ asOf: ref, excludeUntil: options.excludeUntil });
  }

  orderBy(column: string, direction: 'asc' | 'desc' = 'asc'): Query {
    const orderBy = [...(this.state.orderBy ?? []), { column, descending: direction === 'desc' }];
    return this.with({ orderBy });
  }

  limit(n: number): Query {
    if (!Number.isSafeInteger(n) || n < 0) throw new ValidationError(`limit must be a whole number >= 0, got ${n}`);
    return this.with({ limit: n });
  }

  async read(): Promise<Row[]> {
    const built = await this.build('rows');
    if (built === undefined) return [];
    return (await this.source.db.query(built.sql, built.params)) as Row[];
  }

  async count(): Promise<number> {
    const built = await this.build('count');
    if (built === undefined) return 0;
    const [r] = await this.source.db.query(built.sql, built.params);
    return Number(r?.n ?? 0);
  }

  /** The snapshot this query reads, with commit references resolved to ids. */
  async snapshot(): Promise<Snapshot> {
    const { db } = this.source;
    const s: Snapshot = {};
    if (this.state.asOf !== undefined) s.asOf = await resolveCommitRef(db, this.state.asOf);
    if (this.state.excludeUntil !== undefined) s.after = await resolveCommitRef(db, this.state.excludeUntil);
    return s;
  }

  private async build(mode: 'rows' | 'count'): Promise<{ sql: string; params: Params } | undefined> {
    const meta = this.source.meta();
    if (meta.schema === null) return undefined; // nothing inserted yet: no table, no rows
    const types = new Map(meta.schema.map((f) => [f.name, f.type]));
    const resolve = (name: string) => {
      const type = types.get(name);
      if (type === undefined) {
        throw new ValidationError(
          `${meta.name} v${meta.version} has no feature "${name}"; its features are: ${[...types.keys()].join(', ')}`,
          { column: name },
        );
      }
      return { sql: ident(name), type };
    };
    const columns = (this.state.columns ?? meta.schema.map((f) => f.name)).map((c) => resolve(c).sql);
    const params: Params = [];
    const where = [snapshotCondition(await this.snapshot())];
    if (this.state.filter) where.push(compileFilter(this.state.filter, resolve, params));
    const from = `FROM ${ident(meta.table)} WHERE ${where.join(' AND ')}`;
    if (mode === 'count') return { sql: `SELECT count(*) AS n ${from}`, params };
    const order = this.state.orderBy
      ? this.state.orderBy.map((o) => `${resolve(o.column).sql}${o.descending ? ' DESC' : ''}`)
      : [...meta.primaryKey, ...(meta.eventTime ? [meta.eventTime] : [])].map(ident);
    const limit = this.state.limit === undefined ? '' : ` LIMIT ${this.state.limit}`;
    return { sql: `SELECT ${columns.join(', ')} ${from} ORDER BY ${order.join(', ')}${limit}`, params };
  }
}
