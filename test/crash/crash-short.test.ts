// The crash suite's short version (npm test): five quite different writing commands SIGKILLed once each (seeded) with a reader attached, then a consistency check and a re-run that completes.
// Every other command, several kills each, the comparison with an uninterrupted run and the disk-full cases are the full run's (npm run test:crash).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticStore } from '../helpers/stores.js';
import { harness, type Harness } from './bases.js';
import { COMMANDS, type KillPoint } from './commands.js';
import { killOnce } from './kill.js';
import { crashSeed } from './seed.js';
import { FIRST_WRITE, streamOf } from './suite.js';

/** Each command killed at one deterministic moment, chosen for what it writes there. */
const SHORT: { name: string; at: KillPoint; what: string }[] = [
  { name: 'import aqicn', at: FIRST_WRITE, what: 'its first write (bulk rows into an empty store)' },
  { name: 'train', at: { entry: 'train-', in: '.tmp' }, what: 'training and saving its artifacts (its directory in .tmp/)' },
  { name: 'embed', at: FIRST_WRITE, what: 'its first write (chunks and their vectors)' },
  { name: 'ask (trace saving)', at: { entry: '', in: 'spool' }, what: 'the trace being queued in spool/' },
  { name: 'pipeline daily', at: { stderr: 'day_patterns' }, what: 'a day of features in its transaction' },
];
const seed = crashSeed();
let h: Harness;

beforeAll(async () => {
  h = await harness({ synthetic: syntheticStore() });
  h.warm('backfilled'); // for train and embed, built while the first case runs
}, 60_000);
afterAll(() => h?.close());

describe(`crash suite, short: one SIGKILL each of five writing commands (seed ${seed}; replay with AIRQ_CRASH_SEED=${seed})`, () => {
  for (const s of SHORT) {
    const cmd = COMMANDS.find((c) => c.name === s.name)!;
    it(`${s.name}, killed at ${s.what}`, async (ctx) => {
      const why = h.unavailable(cmd);
      if (why) {
        console.error(`SKIPPING the crash case of ${cmd.name}: ${why}`);
        return ctx.skip();
      }
      const rand = streamOf(seed, cmd.name);
      const r = await killOnce(h, cmd, { point: s.at, delayMs: Math.floor(rand() * 20) }, rand() < 0.5 ? 'verify' : 'cli', { checkAfterRerun: false });
      const where = `seed ${seed}, ${cmd.name} killed at ${r.moment}`;
      // Not killed: the moment never came (the command no longer writes there) or it finished first.
      expect(r.killed, `${where}: the command finished before the kill`).toBe(true);
      expect(r.problems, where).toEqual([]);
      expect(r.rerunOk).toBe(true);
    });
  }
});
