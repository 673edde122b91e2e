// The stores the global setup built once (test/setup/stores.ts): read them in place, or copy one to write it.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { dataDir } from './data.js';
import { tempDir } from './tmp.js';

/** The Beijing demo store as of 2017-02-21, or undefined after one loud line when the data is absent (a failure in CI). */
export function beijingStore(): string | undefined {
  const dir = inject('beijingStore');
  if (dir) return dir;
  dataDir('beijing'); // says SKIPPING, or throws when AIRQ_REQUIRE_DATA=1
  return undefined;
}

export const syntheticStore = (): string => inject('syntheticStore');
export const SYNTHETIC_TODAY = (): string => inject('syntheticToday');

/** A private copy of a built store, removed after the test. */
export function copyStore(dir: string): string {
  const copy = tempDir('airq-store-copy-');
  cpSync(dir, copy, { recursive: true });
  return copy;
}

/** A private copy kept for a whole file (tests share it); remove it in afterAll with removeStoreCopy. */
export function copyStoreForFile(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'airq-store-file-'));
  cpSync(dir, copy, { recursive: true });
  return copy;
}

export const removeStoreCopy = (dir: string | undefined) => dir && rmSync(dir, { recursive: true, force: true });
