// One embedded DuckDB file: a writer connection (one transaction per commit, serialised) and pooled readers.
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { ConfigError, errorMessage } from '../../core/errors.js';
import type { FeatureSpec, Row } from '../types.js';
import { Mutex } from './mutex.js';
import { featureValueConverter, toChunks } from './values.js';

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
}

const MAX_IDLE_READERS = 4;

async function readAll(conn: DuckDBConnection, sql: string, params?: Params): Promise<ResultRow[]> {
  const reader = await conn.runAndReadAll(sql, params);
  return reader.convertRowObjects(featureValueConverter) as ResultRow[];
}

export class Database {
  private readonly idleReaders: DuckDBConnection[] = [];
  private readonly writeLock = new Mutex();
  private closed = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    readonly readOnly: boolean,
  ) {}

  static async open(file: string, options: { readOnly?: boolean } = {}): Promise<Database> {
    const readOnly = options.readOnly ?? false;
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(file, readOnly ? { access_mode: 'READ_ONLY' } : {});
    } catch (e) {
      const msg = errorMessage(e);
      if (/lock/i.test(msg)) {
        throw new ConfigError(
          `the store ${file} is open in another process; close it there, or open this one read-only`,
        );
      }
      throw new ConfigError(`cannot open the store ${file}: ${msg}`);
    }
    const writer = await instance.connect();
    return new Database(instance, writer, readOnly);
  }

  /** A read on its own connection: it sees the last committed state, even while a write is in progress. */
  async query(sql: string, params?: Params): Promise<ResultRow[]> {
    this.assertOpen();
    const conn = this.idleReaders.pop() ?? (await this.instance.connect());
    try {
      return await readAll(conn, sql, params);
    } finally {
      if (this.idleReaders.length < MAX_IDLE_READERS && !this.closed) this.idleReaders.push(conn);
      else conn.closeSync();
    }
  }

  /** Runs `fn` as one transaction, after any earlier write has finished; rolls back if it throws. */
  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> {
    this.assertOpen();
    if (this.readOnly) {
      return Promise.reject(new ConfigError('this store was opened read-only; open it without readOnly to write'));
    }
    return this.writeLock.run(async () => {
      const conn = this.writer;
      await conn.run('BEGIN TRANSACTION');
      const afterCommit: (() => void)[] = [];
      try {
        const value = await fn(makeTx(conn, afterCommit));
        await conn.run('COMMIT');
        for (const f of afterCommit) f();
        return value;
      } catch (e) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
  }

  /** Runs `fn` while no write can start or be in progress (for reads that must not miss a commit). */
  serialized<T>(fn: () => Promise<T>): Promise<T> {
    this.assertOpen();
    return this.writeLock.run(fn);
  }

  /** Statements outside any transaction (schema set-up at open). */
  async exec(sql: string): Promise<void> {
    this.assertOpen();
    await this.writer.run(sql);
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
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new ConfigError('the feature store is closed');
  }
}

function makeTx(conn: DuckDBConnection, afterCommit: (() => void)[]): WriteTx {
  return {
    onCommit: (fn) => afterCommit.push(fn),
    async run(sql, params) {
      const result = await conn.run(sql, params);
      return Number(result.rowsChanged);
    },
    query: (sql, params) => readAll(conn, sql, params),
    async append(table, schema, rows, leading = []) {
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
