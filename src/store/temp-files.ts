// Temporary files of a store live in <store>/.tmp/, one directory per use named for its process; a writer's open removes those of dead processes.
//
// Never the system temp directory: what a killed process leaves there is never cleaned, and a rename
// from there into the store may cross file systems. Each directory is named
// `<purpose>-<pid>@<host>-<random>`, so cleaning needs no lock: a writer, at open, removes the
// directories of processes on this host that are no longer running (a reader's, or a killed
// writer's), and never those of a live process (a reader making a model copy while the writer opens).
// Directories of other hosts (a store on a shared disk) go once a week old.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '../core/errors.js';
import { pidAlive } from '../core/pid-alive.js';

export const TMP_DIR = '.tmp';
const OTHER_HOST_MAX_AGE_MS = 7 * 24 * 3600 * 1000;
const NAME = /^[a-z][a-z0-9-]*-(\d+)@([^-/\\]*)-[A-Za-z0-9]{6}$/;

const host = () => hostname().replace(/[^A-Za-z0-9.]/g, '_');

/** A new empty directory in <store>/.tmp/ for `purpose` (lowercase letters, digits, -); the caller removes it when done. */
export function makeStoreTemp(storeDir: string, purpose: string): string {
  if (!/^[a-z][a-z0-9-]{0,40}$/.test(purpose))
    throw new ValidationError(`a temporary directory's purpose is lowercase letters, digits and -, got "${purpose}"`);
  const root = join(storeDir, TMP_DIR);
  mkdirSync(root, { recursive: true });
  return mkdtempSync(join(root, `${purpose}-${process.pid}@${host()}-`));
}

/** Whether an entry of .tmp/ belongs to no running process (names not of this scheme are leftovers too). */
function abandoned(root: string, entry: string): boolean {
  const m = NAME.exec(entry);
  if (!m) return true;
  if (m[2] === host()) return !pidAlive(Number(m[1]));
  try {
    return Date.now() - statSync(join(root, entry)).mtimeMs > OTHER_HOST_MAX_AGE_MS;
  } catch {
    return false;
  }
}

/** Removes what dead processes left in <store>/.tmp/ (call as the store's writer). Returns the entries removed. */
export function cleanStoreTemp(storeDir: string): string[] {
  const root = join(storeDir, TMP_DIR);
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return [];
  }
  const removed = entries.filter((e) => abandoned(root, e));
  for (const e of removed) rmSync(join(root, e), { recursive: true, force: true });
  return removed;
}
