// Test helpers: temporary directories and stores that clean up after themselves.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { FeatureStore, type OpenOptions } from '../../src/store/index.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

export function tempDir(prefix = 'airq-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }));
  return dir;
}

/** A fresh store in a temp dir, closed after the test (closing twice is harmless). */
export async function tempStore(options: Partial<OpenOptions> = {}): Promise<FeatureStore> {
  const dir = options.dir ?? tempDir();
  const store = await FeatureStore.open({ ...options, dir });
  cleanups.push(() => store.close());
  return store;
}
