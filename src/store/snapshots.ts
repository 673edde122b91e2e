// Read snapshots: after each write the writer publishes a copy of the store that any number of readers open read-only.
//
// DuckDB lets one process write a file, or many read it, never both. So the writer keeps the store
// file to itself and, after its commits, publishes a snapshot: a checkpointed copy of the file plus
// hard links to the vector index files, in read/sNNNNNN/, then points read/CURRENT at it with an
// atomic rename. Readers open the snapshot CURRENT names and switch to a newer one when CURRENT
// changes. Old snapshots are removed once superseded for a while; a reader that still has one open
// keeps reading it (an open file outlives its name).
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { diskFullError, isNoSpace } from '../core/disk-full.js';
import { AppError, ConfigError } from '../core/errors.js';
import type { Database } from './db/database.js';

export const READ_DIR = 'read';
const CURRENT = 'CURRENT';
export const SNAPSHOT_DB = 'store.duckdb';
/** Snapshots kept however old, newest first; older ones go once superseded for GRACE_MS. */
const KEEP = 2;
const GRACE_MS = 10_000;
/**
 * A closing writer's grace: a reader opens the snapshot CURRENT names within milliseconds of reading it,
 * so what was superseded a second ago is no longer being opened; without this a short command leaves
 * every snapshot of its last 10 s (each a full copy of the database) until the next writer.
 */
export const CLOSE_GRACE_MS = 1_000;
export const SNAPSHOT_GRACE_MS = GRACE_MS;

const CurrentSchema = z.object({
  format: z.literal('airq-snapshot-1'),
  name: z.string().regex(/^s\d{6,}$/),
  seq: z.number().int().min(1),
  /** The store's write counter when it was taken: a writer that finds CURRENT behind its store publishes. */
  writeSeq: z.number().int().min(0),
  /** The last commit id in it. */
  commit: z.number().int().min(0),
  publishedAt: z.string(),
});
export type Current = z.infer<typeof CurrentSchema>;

export interface SnapshotPaths {
  dir: string;
  file: string;
  vectors: string;
}

export function snapshotPaths(storeDir: string, name: string): SnapshotPaths {
  const dir = join(storeDir, READ_DIR, name);
  return { dir, file: join(dir, SNAPSHOT_DB), vectors: join(dir, 'vectors') };
}

/** What read/CURRENT names, or undefined when nothing was published yet. A damaged CURRENT is an error a writer repairs. */
export function readCurrent(storeDir: string): Current | undefined {
  const file = join(storeDir, READ_DIR, CURRENT);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let parsed: ReturnType<typeof CurrentSchema.safeParse>;
  try {
    parsed = CurrentSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = CurrentSchema.safeParse(undefined);
  }
  if (!parsed.success) throw new ConfigError(`${file} is damaged; any command that writes the store (e.g. \`airq pipeline daily\`) publishes a new one`);
  return parsed.data;
}

/** A cheap fingerprint of read/CURRENT (it changes with every publish, which renames a new file over it). */
export function currentStamp(storeDir: string): string | undefined {
  try {
    const s = statSync(join(storeDir, READ_DIR, CURRENT), { bigint: true });
    return `${s.ino}:${s.mtimeNs}:${s.size}`;
  } catch {
    return undefined;
  }
}

/** Hard-links (or, where links are impossible, copies) the vector index files a sidecar names. */
function linkVectors(from: string, to: string): void {
  if (!existsSync(from)) return;
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(from)) {
    if (!f.endsWith('.json')) continue;
    let side: { indexFile?: unknown };
    try {
      side = JSON.parse(readFileSync(join(from, f), 'utf8')) as { indexFile?: unknown };
    } catch {
      continue; // a damaged sidecar: readers rebuild that index from the table
    }
    if (typeof side.indexFile !== 'string' || !existsSync(join(from, side.indexFile))) continue;
    try {
      linkSync(join(from, side.indexFile), join(to, side.indexFile));
    } catch {
      copyFileSync(join(from, side.indexFile), join(to, side.indexFile));
    }
    copyFileSync(join(from, f), join(to, f));
  }
}

/** A full disk while publishing, said as one DiskFullError (the store's commits and the previous snapshot stay). */
const publishError = (e: unknown, where: string) =>
  e instanceof AppError || !isNoSpace(e)
    ? e
    : diskFullError(where, 'publishing a read snapshot', 'every commit is in the store, and readers keep the previous read snapshot');

/** Publishes the store's committed state as the next snapshot and points CURRENT at it; a failed publish leaves no partial copy. */
export async function publishSnapshot(storeDir: string, db: Database, state: { writeSeq: number; commit: number; vectorsDir: string }): Promise<Current> {
  const readDir = join(storeDir, READ_DIR);
  mkdirSync(readDir, { recursive: true });
  let previous: Current | undefined;
  try {
    previous = readCurrent(storeDir);
  } catch {
    previous = undefined; // damaged: this publish replaces it
  }
  const seq = Math.max(previous?.seq ?? 0, ...listSnapshots(storeDir).map((s) => s.seq)) + 1;
  const name = `s${String(seq).padStart(6, '0')}`;
  const tmp = join(readDir, `.tmp-${name}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  try {
    await db.copyTo(join(tmp, SNAPSHOT_DB));
    linkVectors(state.vectorsDir, join(tmp, 'vectors'));
    renameSync(tmp, snapshotPaths(storeDir, name).dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw publishError(e, tmp);
  }
  const current: Current = { format: 'airq-snapshot-1', name, seq, writeSeq: state.writeSeq, commit: state.commit, publishedAt: new Date().toISOString() };
  try {
    writeFileSync(join(readDir, `${CURRENT}.tmp`), `${JSON.stringify(current)}\n`);
    renameSync(join(readDir, `${CURRENT}.tmp`), join(readDir, CURRENT));
  } catch (e) {
    rmSync(join(readDir, `${CURRENT}.tmp`), { force: true });
    rmSync(snapshotPaths(storeDir, name).dir, { recursive: true, force: true });
    throw publishError(e, join(readDir, CURRENT));
  }
  removeOldSnapshots(storeDir, name);
  return current;
}

function listSnapshots(storeDir: string): { name: string; seq: number }[] {
  const readDir = join(storeDir, READ_DIR);
  if (!existsSync(readDir)) return [];
  return readdirSync(readDir)
    .filter((n) => /^s\d{6,}$/.test(n))
    .map((name) => ({ name, seq: Number(name.slice(1)) }))
    .sort((a, b) => b.seq - a.seq);
}

/** Removes snapshots beyond the newest KEEP once their successor is `graceMs` old, and leftovers of interrupted publishes. */
function removeOldSnapshots(storeDir: string, current: string, graceMs = GRACE_MS): void {
  const readDir = join(storeDir, READ_DIR);
  const now = Date.now();
  const all = listSnapshots(storeDir);
  const age = (name: string) => {
    try {
      return now - statSync(join(readDir, name)).mtimeMs;
    } catch {
      return 0;
    }
  };
  // Ages first: removing a snapshot must not make its predecessor look newly superseded.
  const ages = all.map((s) => age(s.name));
  all.forEach((s, i) => {
    if (i < KEEP || s.name === current) return;
    if (ages[i - 1]! > graceMs) rmSync(join(readDir, s.name), { recursive: true, force: true });
  });
  for (const n of readdirSync(readDir)) {
    if (n.startsWith('.tmp-') && age(n) > GRACE_MS) rmSync(join(readDir, n), { recursive: true, force: true });
  }
}

/**
 * Removes superseded snapshots a short-lived writer left (they were within their grace when it exited).
 * Long-running readers call it after switching; best effort, never throws.
 */
export function tidySnapshots(storeDir: string, graceMs = GRACE_MS): void {
  try {
    const current = readCurrent(storeDir)?.name;
    if (current) removeOldSnapshots(storeDir, current, graceMs);
  } catch {
    // another process may be removing the same directories
  }
}
