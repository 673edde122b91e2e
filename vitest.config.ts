// Vitest configuration: tests live in test/, mirroring src/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The stores many files read, built once per run (see test/setup/stores.ts).
    globalSetup: ['test/setup/stores.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
