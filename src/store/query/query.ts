// A query over feature groups: select, filter, join (point-in-time correct), time travel, order and limit.
import { ValidationError } from '../../core/errors.js';
import type { CommitRef } from '../commit-log.js';
import { writeAtomically, type FileFormat } from '../db/copy.js';
import type { Database, ResultColumns } from '../db/database.js';
import type { FeatureGroupMeta, FeatureType, Row } from '../types.js';
import { compileQuery } from './compile.js';
import { and, type Filter } from './filter.js';

export interface QuerySource {
  db: Database;
  /** The group's definition now (the schema may have grown since the query was built). */
  meta(): FeatureGroupMeta;
}

export interface JoinOptions {
  /** Join columns with the same name on both sides (default: the right group's primary key). */
  on?: readonly string[];
  leftOn?: readonly string[];
  rightOn?: readonly string[];
  /** Prepended to every column the joined query contributes. */
  prefix?: string;
  /** 'left' (default) keeps every left row; 'inner' drops left rows without a match. */
  type?: 'left' | 'inner';
}

export interface Join {
  query: Query;
  leftOn: readonly string[] | undefined;
  rightOn: readonly string[] | undefined;
  prefix: string;
  type: 'left' | 'inner';
}

export interface QueryState {
  columns?: readonly string[];
  filter?: Filter;
  asOf?: CommitRef;
  excludeUntil?: CommitRef;
  orderBy?: readonly { column: string; descending: boolean }[];
  limit?: number;
  joins?: readonly Join[];
}

/** An output column of a query: its name, type, and where it comes from. */
export interface OutputColumn {
  name: string;
  type: FeatureType;
  featureGroup: string;
  version: number;
  column: string;
}

/** Immutable: every method returns a new query. Nothing runs until `read()` or `count()`. */
export class Query {
  constructor(
    readonly source: QuerySource,
    readonly state: QueryState = {},
  ) {}

  private with(patch: Partial<QueryState>): Query {
    return new Query(this.source, { ...this.state, ...patch });
  }

  select(columns: readonly string[]): Query {
    if (columns.length === 0) throw new ValidationError('select needs at least one column');
    return this.with({ columns: [...columns] });
  }

  /**
   * Filters combine with AND. On the top-level query a filter applies to the joined result and may
   * name any output column; on a query that is joined into another, it applies before the join.
   */
  filter(f: Filter): Query {
    return this.with({ filter: this.state.filter ? and(this.state.filter, f) : f });
  }

  /**
   * Joins another query. When this query's group has an event time, each joined row is the latest
   * one with event time <= this row's event time (a point-in-time join), for joins nested at any
   * depth; without one, the latest row per key. Every row of this query is kept (left join).
   */
  join(other: Query, options: JoinOptions = {}): Query {
    if (other.source.db !== this.source.db) throw new ValidationError('cannot join feature groups of different stores');
    if (options.on && (options.leftOn || options.rightOn)) {
      throw new ValidationError('join: give either on, or leftOn with rightOn, not both');
    }
    if ((options.leftOn === undefined) !== (options.rightOn === undefined)) {
      throw new ValidationError('join: leftOn and rightOn go together');
    }
    if (options.leftOn && options.leftOn.length !== options.rightOn!.length) {
      throw new ValidationError('join: leftOn and rightOn need the same number of columns');
    }
    const join: Join = {
      query: other,
      leftOn: options.on ?? options.leftOn,
      rightOn: options.on ?? options.rightOn,
      prefix: options.prefix ?? '',
      type: options.type ?? 'left',
    };
    return this.with({ joins: [...(this.state.joins ?? []), join] });
  }

  /**
   * Time travel by ingestion time: the rows exactly as they were after the commit `ref` (a commit id
   * or a time), for every group in the query. With `excludeUntil`, only row versions written after
   * that commit (incremental reads; on the top-level group).
   */
  asOf(ref: CommitRef, options: { excludeUntil?: CommitRef } = {}): Query {
    return this.with({ asOf: ref, excludeUntil: options.excludeUntil });
  }

  orderBy(column: string, direction: 'asc' | 'desc' = 'asc'): Query {
    return this.with({ orderBy: [...(this.state.orderBy ?? []), { column, descending: direction === 'desc' }] });
  }

  limit(n: number): Query {
    if (!Number.isSafeInteger(n) || n < 0) throw new ValidationError(`limit must be a whole number >= 0, got ${n}`);
    return this.with({ limit: n });
  }

  async read(): Promise<Row[]> {
    const c = await compileQuery(this, 'rows');
    if (c === undefined) return [];
    return (await this.source.db.query(c.sql, c.params)) as Row[];
  }

  /**
   * The same result column by column (names, row count, one array per column): cheaper for large reads.
   * `typed`: numbers as Float64Arrays (NaN = missing); `columns`: only these output columns.
   */
  async readColumns(options: { typed?: boolean; columns?: readonly string[] } = {}): Promise<ResultColumns> {
    const c = await compileQuery(this, 'rows', options.columns && new Set(options.columns));
    if (c === undefined) return { names: [], rowCount: 0, values: [] };
    return this.source.db.queryColumns(c.sql, c.params, { typed: options.typed });
  }

  /**
   * Writes the result into `file` (parquet, csv or json) with DuckDB's own writer, through a temporary name renamed at
   * the end, so the file is complete or absent. Returns the number of rows written.
   */
  async writeFile(file: string, format: FileFormat): Promise<number> {
    const c = await compileQuery(this, 'rows');
    if (c === undefined) throw new ValidationError(`${this.source.meta().name} v${this.source.meta().version} has no rows yet (no table to write)`);
    return writeAtomically(file, (temp) => this.source.db.copyQuery(c.sql, c.params, temp, format));
  }

  async count(): Promise<number> {
    const c = await compileQuery(this, 'count');
    if (c === undefined) return 0;
    const [r] = await this.source.db.query(c.sql, c.params);
    return Number(r?.n ?? 0);
  }

  /** The columns `read()` returns, in order, with their types and origin. */
  async columns(): Promise<OutputColumn[]> {
    return (await compileQuery(this, 'rows'))?.columns ?? [];
  }

  /** The groups this query reads, the top-level one first. */
  groups(): FeatureGroupMeta[] {
    return [this.source.meta(), ...(this.state.joins ?? []).flatMap((j) => j.query.groups())];
  }
}
