// Vitest configuration: tests live in test/, mirroring src/.
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The stores many files read, built once per run (see test/setup/stores.ts).
    globalSetup: ['test/setup/stores.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time even on 2 cores (vitest's default there is one): most files spend their time waiting on the
    // child processes, servers and Redis they start, so the suite takes much less wall time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
