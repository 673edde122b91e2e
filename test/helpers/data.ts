// Test helper for the real data in ../shared/data: skip loudly when absent, fail when CI requires it.
import { findDataDir } from '../../src/core/data-dir.js';

/**
 * The data folder `sub`, or undefined after one loud line (tests then skip). With AIRQ_REQUIRE_DATA=1
 * (as .ci/run sets) a missing dataset throws, so CI cannot pass by skipping.
 */
export function dataDir(sub: string): string | undefined {
  const dir = findDataDir(sub);
  if (dir) return dir;
  const msg = `real data "${sub}" not found (set AIRQ_DATA_DIR or run \`airq download beijing\`)`;
  if (process.env.AIRQ_REQUIRE_DATA === '1') throw new Error(`${msg}; AIRQ_REQUIRE_DATA=1 makes this a failure`);
  console.error(`SKIPPING: ${msg}`);
  return undefined;
}
