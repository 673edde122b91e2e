// The store's queue of inserts from processes that only read it (agent traces): the next writer applies them.
//
// A reader cannot write the store while another process does, and should not wait for it, so it
// writes its rows as one file in spool/ (a temporary name, then an atomic rename). Every writer
// applies the queue when it opens and before it closes, each file in one transaction, and deletes
// the file after the commit; a crash in between applies it again, which changes nothing (inserts
// are upserts). A file that cannot be applied (damaged, or rejected by the group) moves to
// spool/failed/ with the reason beside it, so nothing is silently lost. A reader killed between
// writing and renaming leaves a .json.tmp; the next writer removes it once its process is gone.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { FeatureGroupSpecInput, InputRow } from './types.js';
import { pidAlive } from '../core/pid-alive.js';

export const SPOOL_DIR = 'spool';

const SpoolFileSchema = z.object({
  format: z.literal('airq-spool-1'),
  group: z.record(z.string(), z.unknown()),
  rows: z.array(z.record(z.string(), z.unknown())).max(100_000),
});

/** Queues rows for the group `spec` describes; returns the file written. */
export function queueRows(storeDir: string, spec: FeatureGroupSpecInput, rows: readonly InputRow[]): string {
  const dir = join(storeDir, SPOOL_DIR);
  mkdirSync(dir, { recursive: true });
  const name = `${String(Date.now()).padStart(15, '0')}-${process.pid}-${randomUUID().slice(0, 8)}.json`;
  const file = join(dir, name);
  writeFileSync(`${file}.tmp`, JSON.stringify({ format: 'airq-spool-1', group: spec, rows }));
  renameSync(`${file}.tmp`, file);
  return file;
}

/** Queued files, oldest first. */
export function queuedFiles(storeDir: string): string[] {
  const dir = join(storeDir, SPOOL_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
}

/** A temporary file older than this is removed even if a process with its pid runs (the pid was reused). */
const STALE_TMP_MS = 60 * 60 * 1000;

/**
 * Removes queue files a killed process left half-written (`<time>-<pid>-<id>.json.tmp`, never
 * renamed, so never applied): those whose process is gone, or that are older than an hour. A live
 * reader's file being written now stays. Writers call this when they open; returns the files removed.
 */
export function cleanSpoolTemps(storeDir: string, now = Date.now()): string[] {
  const dir = join(storeDir, SPOOL_DIR);
  if (!existsSync(dir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json.tmp')) continue;
    const file = join(dir, name);
    const pid = Number(/^\d+-(\d+)-/.exec(name)?.[1] ?? NaN);
    let old: boolean;
    try {
      old = now - statSync(file).mtimeMs > STALE_TMP_MS;
    } catch {
      continue; // renamed or removed meanwhile
    }
    if (!old && Number.isInteger(pid) && pid > 0 && pidAlive(pid)) continue;
    rmSync(file, { force: true });
    removed.push(file);
  }
  return removed;
}

function setAside(file: string, reason: string, log?: Logger): void {
  const failed = join(file, '..', 'failed');
  mkdirSync(failed, { recursive: true });
  const name = file.split(/[\\/]/).pop()!;
  renameSync(file, join(failed, name));
  writeFileSync(join(failed, `${name}.reason.txt`), `${reason}\n`);
  log?.warn(`queued rows in ${name} could not be applied (${reason}); kept in ${failed}`);
}

/**
 * Applies every queued file with `apply` (one transaction each) and deletes it after its commit.
 * Returns how many were applied and set aside. An error that is not about the file itself (the
 * disk, the store) stops and leaves the rest queued.
 */
export async function applyQueue(
  storeDir: string,
  apply: (spec: FeatureGroupSpecInput, rows: InputRow[]) => Promise<void>,
  log?: Logger,
): Promise<{ applied: number; failed: number }> {
  let applied = 0;
  let failed = 0;
  for (const file of queuedFiles(storeDir)) {
    let parsed: z.infer<typeof SpoolFileSchema>;
    try {
      parsed = SpoolFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // another writer applied it meanwhile
      setAside(file, `not a queue file: ${errorMessage(e).split('\n')[0]}`, log);
      failed++;
      continue;
    }
    try {
      await apply(parsed.group as unknown as FeatureGroupSpecInput, parsed.rows as InputRow[]);
    } catch (e) {
      if (!(e instanceof AppError) || e.code === 'CONFIG' || e.code === 'BUSY' || e.code === 'DISK_FULL') throw e;
      setAside(file, errorMessage(e).split('\n')[0]!, log);
      failed++;
      continue;
    }
    rmSync(file, { force: true });
    applied++;
  }
  return { applied, failed };
}
