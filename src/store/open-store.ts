// Opening a store directory: as its one writer (the store file itself) or as a reader (the latest published snapshot).
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { systemClock, type Clock } from '../core/clock.js';
import { BusyError, ConfigError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { initCatalog, readWriteSeq } from './catalog.js';
import { CommitClock } from './commit-log.js';
import { Database } from './db/database.js';
import type { WaitOptions } from './db/writer-lock.js';
import { Properties, PROPERTIES_DDL } from './properties.js';
import type { PublishPolicy } from './publisher.js';
import { damagedStoreError } from './open-error.js';
import { cleanStaging } from './registry/artifacts.js';
import { MODEL_DDL, migrateModelTable } from './registry/catalog.js';
import { publishSnapshot, readCurrent, snapshotPaths, type Current } from './snapshots.js';
import { cleanSpoolTemps } from './spool.js';
import { cleanStoreTemp } from './temp-files.js';
import type { OnlineOption } from './online/open-online.js';
import { VIEW_DDL } from './views/catalog.js';

export const DB_FILE = 'store.duckdb';

export interface OpenOptions {
  /** The directory that holds everything: the DuckDB file, read snapshots, index files and model artifacts. */
  dir: string;
  /** Open the latest read snapshot instead of the store: any number of processes may, while one writes. */
  readOnly?: boolean;
  /** Where "now" comes from for TTLs (defaults to the system clock). */
  clock?: Clock;
  /**
   * Writers: how long to wait while another process writes (waitMs, default 0: fail at once), whom
   * to tell, and what this process is for the messages of others. Readers: how long to wait for the
   * first snapshot of a store whose writer has not published one yet (default 60 s).
   */
  wait?: WaitOptions;
  /** Writers: when to publish read snapshots (default `auto`: soon after commits, and at close). */
  publish?: PublishPolicy;
  /** Where a writer reports what it does in the background (publishing, applying the queue). */
  log?: Logger;
  /**
   * The online store: `memory` (default: each process loads its own tables from the offline tables) or a Redis URL,
   * `redis://HOST:PORT/DB`, that every process shares (the writer keeps it equal to the offline tables).
   */
  online?: OnlineOption;
}

/** What a FeatureStore is made of once its file is open. */
export interface StoreParts {
  dir: string;
  db: Database;
  commitClock: CommitClock;
  clock: Clock;
  properties: Properties;
  /** Where the vector index files are: the store's own for a writer, the snapshot's for a reader. */
  vectorsDir: string;
  snapshot?: Current;
  writeSeq: number;
  publish: PublishPolicy;
  log?: Logger;
}

/** A clear error for a store directory that cannot be one. */
function checkDir(dir: string, create: boolean): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new ConfigError(`the store ${dir} is a file, not a directory; point --store at a directory`);
    return;
  }
  if (!create) throw new ConfigError(`there is no airq store in ${dir}; create one first (e.g. \`airq demo\`)`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new ConfigError(`cannot create the store directory ${dir}: ${(e as Error).message}`);
  }
}

async function partsOf(dir: string, db: Database, options: OpenOptions, vectorsDir: string, snapshot?: Current): Promise<StoreParts> {
  return {
    dir,
    db,
    commitClock: await CommitClock.load(db),
    clock: options.clock ?? systemClock,
    properties: await Properties.load(db),
    vectorsDir,
    snapshot,
    writeSeq: snapshot?.writeSeq ?? (await readWriteSeq(db)),
    publish: options.publish ?? 'auto',
    log: options.log,
  };
}

/** The writer's open: the store file, its tables brought up to date, and what dead processes left in .tmp/ removed. */
async function openWriterParts(dir: string, options: OpenOptions): Promise<StoreParts> {
  const file = join(dir, DB_FILE);
  const db = await Database.open(file, { wait: options.wait }).catch((e: unknown) => {
    throw damagedStoreError(dir, file, e);
  });
  try {
    await initCatalog(db);
    for (const sql of [...VIEW_DDL, MODEL_DDL, PROPERTIES_DDL]) await db.exec(sql);
    await migrateModelTable(db);
    // Only the writer cleans: one at a time, so no other cleaner races it; readers' directories of live processes stay.
    cleanStaging(dir);
    const removed = cleanStoreTemp(dir);
    if (removed.length > 0) options.log?.debug(`removed ${removed.length} temporary director${removed.length === 1 ? 'y' : 'ies'} left by ended processes`);
    for (const f of cleanSpoolTemps(dir)) options.log?.info(`removed ${f}, a queue file its killed process never finished`);
    return await partsOf(dir, db, options, join(dir, 'vectors'));
  } catch (e) {
    await db.close();
    throw e;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The snapshot to read. A store that has none yet (made by an older airq, or its writer is in its
 * first moments) gets one: this process publishes it when nobody writes, else waits for the writer's.
 */
async function currentSnapshot(dir: string, options: OpenOptions): Promise<Current> {
  const current = readCurrent(dir);
  if (current) return current;
  if (!existsSync(join(dir, DB_FILE))) throw new ConfigError(`there is no airq store in ${dir} (no ${DB_FILE}); create one first (e.g. \`airq demo\`)`);
  try {
    const parts = await openWriterParts(dir, { ...options, wait: { command: 'airq (publishing a read snapshot)' } });
    try {
      if (!readCurrent(dir))
        await publishSnapshot(dir, parts.db, { writeSeq: parts.writeSeq, commit: parts.commitClock.committed, vectorsDir: parts.vectorsDir });
    } finally {
      await parts.db.close();
    }
  } catch (e) {
    if (!(e instanceof BusyError)) throw e;
  }
  const waitMs = options.wait?.waitMs ?? 60_000;
  for (const t0 = Date.now(); Date.now() - t0 <= waitMs; await sleep(100)) {
    const c = readCurrent(dir);
    if (c) return c;
  }
  throw new BusyError(`the store ${dir} has no read snapshot yet and its writer did not publish one within ${Math.round(waitMs / 1000)} s`);
}

async function openReaderParts(dir: string, options: OpenOptions): Promise<StoreParts> {
  for (let attempt = 0; ; attempt++) {
    const current = await currentSnapshot(dir, options);
    const paths = snapshotPaths(dir, current.name);
    let db: Database;
    try {
      db = await Database.open(paths.file, { readOnly: true });
    } catch (e) {
      // Removed between reading CURRENT and opening it: a newer one is there now.
      if (attempt < 5 && !existsSync(paths.file)) continue;
      throw e;
    }
    try {
      return await partsOf(dir, db, options, paths.vectors, current);
    } catch (e) {
      await db.close();
      throw e;
    }
  }
}

export function openParts(options: OpenOptions): Promise<StoreParts> {
  const dir = resolve(options.dir);
  checkDir(dir, !options.readOnly);
  return options.readOnly ? openReaderParts(dir, options) : openWriterParts(dir, options);
}
