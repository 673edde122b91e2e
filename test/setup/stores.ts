// Vitest global setup: the stores many test files read, built once per run in this process (not once per file through the CLI).
//   beijingStore   the Beijing eval store (demo as of 2017-02-21, hashing embedder), cached by the content hash of its data and code
//   syntheticStore the synthetic city as `airq demo --source synthetic --today 2024-06-30` builds it
// Tests that write copy them first (test/helpers/stores.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureEvalStore } from '../../evals/eval-store.js';
import { findDataDir } from '../../src/core/data-dir.js';
import { buildSyntheticDemo, SYNTHETIC_TODAY } from '../helpers/synthetic-demo.js';

declare module 'vitest' {
  export interface ProvidedContext {
    beijingStore: string | null;
    syntheticStore: string;
    syntheticToday: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const beijing = findDataDir('beijing');
  const built = beijing ? await ensureEvalStore(beijing) : null;
  project.provide('beijingStore', built ? built.dir : null);
  const synthetic = mkdtempSync(join(tmpdir(), 'airq-synthetic-'));
  await buildSyntheticDemo(synthetic);
  project.provide('syntheticStore', synthetic);
  project.provide('syntheticToday', SYNTHETIC_TODAY);
  return () => rmSync(synthetic, { recursive: true, force: true });
}
