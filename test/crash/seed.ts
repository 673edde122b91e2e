// The crash run's seed, so that every kill moment of a run can be replayed from it (the PRNG is core/random's seededRandom).

/** The run's seed: AIRQ_CRASH_SEED when set (to replay a failure), else a new one. */
export function crashSeed(env: NodeJS.ProcessEnv = process.env): number {
  const s = env.AIRQ_CRASH_SEED;
  if (s !== undefined && s !== '') {
    if (!/^\d{1,10}$/.test(s)) throw new Error(`AIRQ_CRASH_SEED is a whole number (the seed a failed run printed), got ${JSON.stringify(s)}`);
    return Number(s) >>> 0;
  }
  return Math.floor(Math.random() * 2 ** 31);
}
