// The crash suite's short version: every writing command SIGKILLed once (seeded) with a reader attached, then a consistency check, a re-run and (where cheap) a comparison with an uninterrupted run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticStore } from '../helpers/stores.js';
import { harness, type Harness } from './bases.js';
import { COMMANDS } from './commands.js';
import { killOnce, referenceRun } from './kill.js';
import { crashSeed } from './prng.js';
import { FIRST_WRITE, streamOf } from './suite.js';

/** Compared with an uninterrupted run here; the full run (npm run test:crash) compares every command. */
const COMPARED = new Set(['import beijing', 'import aqicn', 'pipeline backfill', 'pipeline daily', 'forecast', 'embed', 'ask (trace saving)']);
const seed = crashSeed();
let h: Harness;

beforeAll(async () => {
  h = await harness({ synthetic: syntheticStore() });
}, 60_000);
afterAll(() => h?.close());

describe(`crash suite, short: one SIGKILL per writing command (seed ${seed}; replay with AIRQ_CRASH_SEED=${seed})`, () => {
  for (const cmd of COMMANDS) {
    it(cmd.name, { timeout: 120_000 }, async (ctx) => {
      const why = h.unavailable(cmd);
      if (why) {
        console.error(`SKIPPING the crash case of ${cmd.name}: ${why}`);
        return ctx.skip();
      }
      const rand = streamOf(seed, cmd.name);
      // A deterministic moment: the command's own point, or its first write (the WAL appears), plus a seeded few ms.
      const points = [...cmd.points, FIRST_WRITE];
      const moment = { point: points[Math.floor(rand() * points.length)]!, delayMs: Math.floor(rand() * 40) };
      const reference = COMPARED.has(cmd.name) ? (await referenceRun(h, cmd)).fingerprint : undefined;
      const r = await killOnce(h, cmd, moment, rand() < 0.5 ? 'verify' : 'cli', reference);
      expect(r.problems, `seed ${seed}, ${cmd.name} killed at ${r.moment}`).toEqual([]);
      expect(r.rerunOk).toBe(true);
      if (reference) expect(r.matched).toBe(true);
    });
  }
});
