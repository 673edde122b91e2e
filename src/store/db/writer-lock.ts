// One writer per store: DuckDB's own file lock decides; a waiting writer says who holds it and gives up after a limit.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { BusyError, ConfigError, errorMessage } from '../../core/errors.js';
import { duckdb, type DuckDB } from './duckdb.js';
import { pidAlive } from '../../core/pid-alive.js';

const { DuckDBInstance } = duckdb;
type DuckDBInstance = DuckDB.DuckDBInstance;

/** Who writes a store now, kept beside its file while the writer has it (for the messages of those who wait). */
const WriterInfoSchema = z.object({ pid: z.number().int(), command: z.string().max(500), since: z.string(), host: z.string() });
export type WriterInfo = z.infer<typeof WriterInfoSchema>;

export interface WaitOptions {
  /** How long to wait for another writer to finish, in ms (default 0: fail at once). */
  waitMs?: number;
  /** Told once, when the store turns out to be held: who holds it and how long we wait. */
  onWait?: (message: string) => void;
  /** What this process is, for the messages of writers that wait for it (default: its command line). */
  command?: string;
}

export const WRITER_FILE = 'writer.json';
const POLL_MS = 100;

const isLockError = (msg: string) => /could not set lock|conflicting lock/i.test(msg);

/** "`airq pipeline daily` (pid 42, since 12:00:01 UTC)", from the info file when it names a live process, else from DuckDB's message. */
export function describeHolder(file: string, duckdbMessage = ''): string {
  const info = readWriterInfo(file);
  if (info && (info.host !== hostname() || pidAlive(info.pid))) {
    return `\`${info.command}\` (pid ${info.pid}${info.host === hostname() ? '' : ` on ${info.host}`}, since ${info.since.slice(11, 19)} UTC)`;
  }
  const pid = /PID (\d+)/.exec(duckdbMessage)?.[1];
  return pid ? `another process (pid ${pid})` : 'another process';
}

function readWriterInfo(file: string): WriterInfo | undefined {
  const path = join(dirname(file), WRITER_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const parsed = WriterInfoSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // half written or damaged: it is only a hint
  }
}

function writeWriterInfo(file: string, command: string): void {
  const info: WriterInfo = { pid: process.pid, command, since: new Date().toISOString(), host: hostname() };
  try {
    writeFileSync(join(dirname(file), WRITER_FILE), `${JSON.stringify(info)}\n`);
  } catch {
    // A hint for other writers' messages; the lock itself is DuckDB's.
  }
}

/** Forgets this process as the writer (at close). */
export function clearWriterInfo(file: string): void {
  const info = readWriterInfo(file);
  if (info?.pid === process.pid && info.host === hostname()) rmSync(join(dirname(file), WRITER_FILE), { force: true });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;

/**
 * Opens `file` for writing. While another process holds it, polls until it is free or `waitMs`
 * has passed, telling `onWait` once who holds it; then fails with a BusyError naming the holder.
 */
export async function openWriter(file: string, options: WaitOptions = {}): Promise<DuckDBInstance> {
  const waitMs = options.waitMs ?? 0;
  const t0 = Date.now();
  let told = false;
  for (;;) {
    try {
      const instance = await DuckDBInstance.create(file);
      writeWriterInfo(file, options.command ?? process.argv.slice(1).join(' '));
      return instance;
    } catch (e) {
      const msg = errorMessage(e);
      if (!isLockError(msg)) throw openError(file, msg);
      const holder = describeHolder(file, msg);
      const waited = Date.now() - t0;
      if (waited >= waitMs) {
        throw new BusyError(
          `the store ${dirname(file)} is being written by ${holder}${waitMs > 0 ? ` and was not free after ${seconds(waited)}` : ''}; ` +
            `try again when it has finished${waitMs > 0 ? ', or wait longer with --wait SECONDS' : ''}`,
          { holder },
        );
      }
      if (!told && options.onWait) options.onWait(`the store ${dirname(file)} is being written by ${holder}; waiting up to ${seconds(waitMs)}`);
      told = true;
      await sleep(Math.min(POLL_MS, waitMs - waited));
    }
  }
}

/** A clear message for a file DuckDB cannot open for a reason other than the lock (details: the file and DuckDB's words, for a recovery hint above). */
export function openError(file: string, msg: string): ConfigError {
  const details = { file, duckdb: msg, damaged: true };
  if (/not a valid DuckDB database/i.test(msg))
    return new ConfigError(`${file} is not an airq store (not a DuckDB database file); point --store at a store directory`, details);
  if (/permission denied/i.test(msg))
    return new ConfigError(`cannot open the store ${file}: permission denied; check the directory's owner and mode`, { file, duckdb: msg });
  return new ConfigError(`cannot open the store ${file}: ${msg.replace(/^IO Error: /, '')}`, details);
}
