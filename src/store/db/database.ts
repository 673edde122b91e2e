// One embedded DuckDB file: a writer connection (one transaction per commit, serialised) and pooled readers.
import { AsyncLocalStorage } from 'node:async_hooks';
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { diskFullError, isNoSpace } from '../../core/disk-full.js';
import { AppError, ConfigError, errorMessage } from '../../core/errors.js';
import type { FeatureSpec, Row } from '../types.js';
import { duckdb, type DuckDB } from './duckdb.js';
import { copySql, type FileFormat } from './copy.js';
import { Mutex } from './mutex.js';
import { readAll, readColumns, streamRows, type Params, type ResultColumns, type ResultRow } from './results.js';
import { toChunks } from './values.js';
import { clearWriterInfo, openError, openWriter, type WaitOptions } from './writer-lock.js';

const { DuckDBInstance } = duckdb;
type DuckDBInstance = DuckDB.DuckDBInstance;
type DuckDBConnection = DuckDB.DuckDBConnection;
const execFileAsync = promisify(execFile);
const quoteIdent = (s: string) => `"${s.replaceAll('"', '""')}"`;

export type { Params, ResultColumns, ResultRow } from './results.js';

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
  /**
   * Runs `fn` after COMMIT and the onCommit callbacks, still inside the write lock, and waits for it before the write
   * resolves (the online store's copy in Redis is written here, in commit order). `fn` handles its own errors: the
   * commit is done whatever it does.
   */
  afterCommit(fn: () => Promise<void>): void;
  /** Runs `fn` after the transaction rolled back (to release what it reserved in memory). */
  onRollback(fn: () => void): void;
  /** Whether any statement so far changed a row (a write that changed nothing need not be published). */
  readonly changed: boolean;
}

const MAX_IDLE_READERS = 4;
/** What a failed publish leaves as it was. */
const SNAPSHOT_KEPT = 'every commit is in the store, and readers keep the previous read snapshot';

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
    } else {
      try {
        instance = await openWriter(file, options.wait);
      } catch (e) {
        if (e instanceof AppError || !isNoSpace(e)) throw e;
        throw diskFullError(file, 'opening it (replaying its log)', 'the store file is as its last commit left it');
      }
    }
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

  /** Writes a read's result into `file` with DuckDB's own writer (a file, never the store); returns the rows written. */
  copyQuery(sql: string, params: Params | undefined, file: string, format: FileFormat): Promise<number> {
    return this.withReader(async (conn) => Number((await conn.run(copySql(sql, file, format), params)).rowsChanged));
  }

  private async withReader<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    this.assertOpen();
    let conn: DuckDBConnection;
    try {
      conn = this.idleReaders.pop() ?? (await this.instance.connect());
    } catch (e) {
      throw this.translate(e, 'reading it');
    }
    try {
      return await fn(conn);
    } catch (e) {
      throw this.translate(e, 'reading it');
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
      await conn.run('BEGIN TRANSACTION').catch((e: unknown) => Promise.reject(this.translate(e, 'writing it')));
      const hooks: TxHooks = { commit: [], after: [], rollback: [] };
      const tx = makeTx(conn, hooks);
      let value: T;
      try {
        value = await this.currentTx.run(tx, () => fn(tx));
        await this.hooks.beforeCommit?.(tx);
        await conn.run('COMMIT');
        for (const f of hooks.commit) f();
        this.hooks.afterCommit?.();
      } catch (e) {
        await conn.run('ROLLBACK').catch(() => undefined);
        for (const f of hooks.rollback) f();
        throw this.translate(e, 'writing it');
      }
      for (const f of hooks.after) await f().catch(() => undefined);
      return value;
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
    try {
      await this.writer.run(sql);
    } catch (e) {
      throw this.translate(e, 'setting it up');
    }
  }

  /**
   * DuckDB's "No space left on device" (and, after it, "database has been invalidated because of a
   * previous fatal error", which quotes it) as one DiskFullError; anything else as it was.
   */
  private translate(e: unknown, doing: string, kept?: string): unknown {
    if (e instanceof AppError || !isNoSpace(e)) return e;
    return diskFullError(this.file, doing, kept);
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
      try {
        await this.writer.run('CHECKPOINT');
        await this.copyFile(target);
      } catch (e) {
        // A half-written copy is never left behind (a full disk stops cp or DuckDB midway).
        rmSync(target, { force: true });
        rmSync(`${target}.wal`, { force: true });
        throw this.translate(e, 'copying it into a read snapshot', SNAPSHOT_KEPT);
      }
    });
  }

  /** cp, or DuckDB's own copy where cp cannot run (not when the disk is full: that fails the same way). */
  private async copyFile(target: string): Promise<void> {
    try {
      await execFileAsync('cp', [this.file, target]);
      if (existsSync(`${this.file}.wal`)) await execFileAsync('cp', [`${this.file}.wal`, `${target}.wal`]);
    } catch (e) {
      rmSync(target, { force: true });
      rmSync(`${target}.wal`, { force: true });
      if (isNoSpace(e)) throw e;
      await this.writer.run(`ATTACH '${target.replaceAll("'", "''")}' AS airq_copy`);
      try {
        await this.writer.run(`COPY FROM DATABASE ${quoteIdent(this.catalogName())} TO airq_copy`);
      } finally {
        await this.writer.run('DETACH airq_copy');
      }
    }
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

interface TxHooks {
  commit: (() => void)[];
  after: (() => Promise<void>)[];
  rollback: (() => void)[];
}

function makeTx(conn: DuckDBConnection, hooks: TxHooks): WriteTx {
  let changed = false;
  return {
    onCommit: (fn) => hooks.commit.push(fn),
    afterCommit: (fn) => hooks.after.push(fn),
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
