// One embedded DuckDB file: a writer connection (one transaction per commit, serialised) and pooled readers.
import { AsyncLocalStorage } from 'node:async_hooks';
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError, errorMessage } from '../../core/errors.js';
import type { FeatureSpec, Row } from '../types.js';
import { duckdb, type DuckDB } from './duckdb.js';
import { Mutex } from './mutex.js';
import { columnConverter, toChunks } from './values.js';
import { clearWriterInfo, openError, openWriter, type WaitOptions } from './writer-lock.js';

const { DuckDBInstance, DuckDBTypeId } = duckdb;
type DuckDBInstance = DuckDB.DuckDBInstance;
type DuckDBTypeId = DuckDB.DuckDBTypeId;
type DuckDBConnection = DuckDB.DuckDBConnection;
type DuckDBValue = DuckDB.DuckDBValue;
type DuckDBType = DuckDB.DuckDBType;
type DuckDBDataChunk = DuckDB.DuckDBDataChunk;
const execFileAsync = promisify(execFile);
const quoteIdent = (s: string) => `"${s.replaceAll('"', '""')}"`;

export type Params = DuckDBValue[];
export type ResultRow = Record<string, unknown>;

/** What a write transaction may do. Everything it does commits together or not at all. */
export interface WriteTx {
  run(sql: string, params?: Params): Promise<number>;
  query(sql: string, params?: Params): Promise<ResultRow[]>;
  /** Bulk-appends rows to `table`, whose columns are the `leading` constant columns, then the schema's in order. */
  append(table: string, schema: FeatureSpec[], rows: readonly Row[], leading?: { value: bigint | null }[]): Promise<void>;
  /**
   * Runs `fn` right after COMMIT succeeds, still inside the write lock, so in-memory state (online
   * rows, cached definitions) changes in the same step as the file and never for a rolled-back write.
   */
  onCommit(fn: () => void): void;
  /** Runs `fn` after the transaction rolled back (to release what it reserved in memory). */
  onRollback(fn: () => void): void;
  /** Whether any statement so far changed a row (a write that changed nothing need not be published). */
  readonly changed: boolean;
}

const MAX_IDLE_READERS = 4;

/** Reads a result chunk by chunk, straight into `visit(columnIndex, rowIndex, value)`. */
async function readChunks(
  conn: DuckDBConnection,
  sql: string,
  params: Params | undefined,
  start: (names: string[], rowCount: number, types: DuckDBType[]) => void,
  visit: (c: number, r: number, value: unknown) => void,
): Promise<void> {
  const result = await conn.run(sql, params);
  const names = result.columnNames();
  const types = result.columnTypes();
  const converters = types.map(columnConverter);
  const chunks = [];
  let total = 0;
  for (let i = 0; i < result.chunkCount; i++) {
    const chunk = result.getChunk(i);
    chunks.push(chunk);
    total += chunk.rowCount;
  }
  start(names, total, types);
  let offset = 0;
  for (const chunk of chunks) {
    visitChunk(chunk, converters, offset, visit);
    offset += chunk.rowCount;
  }
}

/** Every value of one chunk, converted, column by column: `visit(columnIndex, offset + rowInChunk, value)`. */
function visitChunk(
  chunk: DuckDBDataChunk,
  converters: ((v: DuckDBValue) => unknown)[],
  offset: number,
  visit: (c: number, r: number, value: unknown) => void,
): void {
  for (let c = 0; c < converters.length; c++) {
    const vector = chunk.getColumnVector(c);
    const convert = converters[c]!;
    for (let r = 0; r < chunk.rowCount; r++) visit(c, offset + r, convert(vector.getItem(r)));
  }
}

async function readAll(conn: DuckDBConnection, sql: string, params?: Params): Promise<ResultRow[]> {
  let rows: ResultRow[] = [];
  let names: string[] = [];
  await readChunks(
    conn,
    sql,
    params,
    (n, count) => {
      names = n;
      rows = Array.from({ length: count }, () => ({}));
    },
    (c, r, v) => {
      rows[r]![names[c]!] = v;
    },
  );
  return rows;
}

/**
 * Column name -> values, for large reads that do not need one object per row. With `typed`, numeric columns are
 * Float64Arrays (NaN where the value is missing), read straight from DuckDB's vectors; other columns are arrays.
 */
export type ResultColumns = { names: string[]; rowCount: number; values: (unknown[] | Float64Array)[] };

const NUMERIC = new Set<DuckDBTypeId>([
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UTINYINT,
]);

async function readColumns(conn: DuckDBConnection, sql: string, params: Params | undefined, typed: boolean): Promise<ResultColumns> {
  const out: ResultColumns = { names: [], rowCount: 0, values: [] };
  let isTyped: boolean[] = [];
  await readChunks(
    conn,
    sql,
    params,
    (names, count, types) => {
      isTyped = types.map((t) => typed && NUMERIC.has(t.typeId));
      Object.assign(out, { names, rowCount: count, values: names.map((_, c) => (isTyped[c] ? new Float64Array(count) : new Array<unknown>(count))) });
    },
    // A numeric column's converter gives a number or null; in a Float64Array null is NaN.
    (c, r, v) => (out.values[c]![r] = isTyped[c] && v === null ? NaN : v),
  );
  return out;
}

/**
 * Streams a result in DuckDB's chunks (2,048 rows) as row objects, one chunk at a time, so a large read
 * (loading an online table) never holds more than one chunk of JavaScript objects.
 */
async function streamRows(conn: DuckDBConnection, sql: string, params: Params | undefined, onRows: (rows: ResultRow[]) => void): Promise<void> {
  const result = await conn.stream(sql, params);
  const names = result.columnNames();
  const converters = result.columnTypes().map(columnConverter);
  for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const rows: ResultRow[] = Array.from({ length: chunk.rowCount }, () => ({}));
    visitChunk(chunk, converters, 0, (c, r, v) => (rows[r]![names[c]!] = v));
    onRows(rows);
  }
}

/** What the store does around every top-level write transaction. */
export interface CommitHooks {
  /** Runs inside the transaction, just before COMMIT (the store counts its writes here). */
  beforeCommit?(tx: WriteTx): Promise<void>;
  /** Runs after COMMIT and the transaction's own onCommit callbacks, still inside the write lock. */
  afterCommit?(): void;
}

export class Database {
  private readonly idleReaders: DuckDBConnection[] = [];
  hooks: CommitHooks = {};
  private readonly writeLock = new Mutex();
  /** The write transaction the current async call chain runs in, if any (writes inside it join it). */
  private readonly currentTx = new AsyncLocalStorage<WriteTx>();
  private closed = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    readonly readOnly: boolean,
    readonly file: string,
  ) {}

  /**
   * Opens the file: read-only (any number of processes; nobody may write it meanwhile) or for writing
   * (one process at a time; `wait` says how long to wait for the one that holds it).
   */
  static async open(file: string, options: { readOnly?: boolean; wait?: WaitOptions } = {}): Promise<Database> {
    const readOnly = options.readOnly ?? false;
    let instance: DuckDBInstance;
    if (readOnly) {
      try {
        instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
      } catch (e) {
        throw openError(file, errorMessage(e));
      }
    } else instance = await openWriter(file, options.wait);
    const writer = await instance.connect();
    return new Database(instance, writer, readOnly, file);
  }

  /** A read on its own connection: it sees the last committed state, even while a write is in progress. */
  query(sql: string, params?: Params): Promise<ResultRow[]> {
    return this.withReader((conn) => readAll(conn, sql, params));
  }

  /** Like query, but column by column: no object per row (with `typed`, numbers in Float64Arrays). */
  queryColumns(sql: string, params?: Params, options: { typed?: boolean } = {}): Promise<ResultColumns> {
    return this.withReader((conn) => readColumns(conn, sql, params, options.typed ?? false));
  }

  /** Like query, but hands the rows over chunk by chunk: memory stays at one chunk whatever the result's size. */
  queryBatches(sql: string, params: Params | undefined, onRows: (rows: ResultRow[]) => void): Promise<void> {
    return this.withReader((conn) => streamRows(conn, sql, params, onRows));
  }

  private async withReader<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    this.assertOpen();
    const conn = this.idleReaders.pop() ?? (await this.instance.connect());
    try {
      return await fn(conn);
    } finally {
      if (this.idleReaders.length < MAX_IDLE_READERS && !this.closed) this.idleReaders.push(conn);
      else conn.closeSync();
    }
  }

  /**
   * Runs `fn` as one transaction, after any earlier write has finished; rolls back if it throws.
   * A write started inside `fn` (directly or deeper in its call chain) joins this transaction,
   * which is how several writes commit together or not at all.
   */
  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> {
    this.assertOpen();
    if (this.readOnly) {
      return Promise.reject(new ConfigError('this store was opened read-only; open it without readOnly to write'));
    }
    const outer = this.currentTx.getStore();
    if (outer) return fn(outer);
    return this.writeLock.run(async () => {
      const conn = this.writer;
      await conn.run('BEGIN TRANSACTION');
      const hooks = { commit: [] as (() => void)[], rollback: [] as (() => void)[] };
      const tx = makeTx(conn, hooks);
      try {
        const value = await this.currentTx.run(tx, () => fn(tx));
        await this.hooks.beforeCommit?.(tx);
        await conn.run('COMMIT');
        for (const f of hooks.commit) f();
        this.hooks.afterCommit?.();
        return value;
      } catch (e) {
        await conn.run('ROLLBACK').catch(() => undefined);
        for (const f of hooks.rollback) f();
        throw e;
      }
    });
  }

  /** Runs `fn` while no write can start or be in progress (for reads that must not miss a commit). */
  serialized<T>(fn: () => Promise<T>): Promise<T> {
    this.assertOpen();
    // Inside a write transaction the lock is already held by this call chain: waiting would deadlock.
    if (this.currentTx.getStore()) return fn();
    return this.writeLock.run(fn);
  }

  /** Statements outside any transaction (schema set-up at open). */
  async exec(sql: string): Promise<void> {
    this.assertOpen();
    await this.writer.run(sql);
  }

  /**
   * Copies the committed state into `target` (a new file), between writes: a checkpoint first so the
   * copy is one self-contained file; the log is copied too should the checkpoint leave one.
   *
   * The file is copied by another process (cp): DuckDB's lock is a POSIX record lock, which this
   * process would lose the moment it closed any descriptor of its own on the file. Where cp cannot
   * run, DuckDB copies the database itself (slower, same result).
   */
  copyTo(target: string): Promise<void> {
    this.assertOpen();
    if (this.readOnly) return Promise.reject(new ConfigError('a read-only store cannot publish a copy of itself'));
    return this.serialized(async () => {
      await this.writer.run('CHECKPOINT');
      try {
        await execFileAsync('cp', [this.file, target]);
        if (existsSync(`${this.file}.wal`)) await execFileAsync('cp', [`${this.file}.wal`, `${target}.wal`]);
      } catch {
        rmSync(target, { force: true });
        rmSync(`${target}.wal`, { force: true });
        await this.writer.run(`ATTACH '${target.replaceAll("'", "''")}' AS airq_copy`);
        try {
          await this.writer.run(`COPY FROM DATABASE ${quoteIdent(this.catalogName())} TO airq_copy`);
        } finally {
          await this.writer.run('DETACH airq_copy');
        }
      }
    });
  }

  /** The name DuckDB gives the open file's catalog (its base name). */
  private catalogName(): string {
    return basename(this.file).replace(/\.[^.]*$/, '');
  }

  /** Waits for the write in progress, then closes every connection and the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.writeLock.run(async () => {
      this.closed = true;
      if (!this.readOnly) await this.writer.run('CHECKPOINT').catch(() => undefined);
      for (const c of this.idleReaders.splice(0)) c.closeSync();
      this.writer.closeSync();
      this.instance.closeSync();
      if (!this.readOnly) clearWriterInfo(this.file);
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new ConfigError('the feature store is closed');
  }
}

function makeTx(conn: DuckDBConnection, hooks: { commit: (() => void)[]; rollback: (() => void)[] }): WriteTx {
  let changed = false;
  return {
    onCommit: (fn) => hooks.commit.push(fn),
    onRollback: (fn) => hooks.rollback.push(fn),
    get changed() {
      return changed;
    },
    async run(sql, params) {
      const result = await conn.run(sql, params);
      const n = Number(result.rowsChanged);
      // DDL reports no rows but changes the file all the same.
      if (n > 0 || /^\s*(CREATE|ALTER|DROP)\b/i.test(sql)) changed = true;
      return n;
    },
    query: (sql, params) => readAll(conn, sql, params),
    async append(table, schema, rows, leading = []) {
      if (rows.length > 0) changed = true;
      const appender = await conn.createAppender(table);
      try {
        for (const chunk of toChunks(schema, rows, leading)) appender.appendDataChunk(chunk);
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
    },
  };
}
