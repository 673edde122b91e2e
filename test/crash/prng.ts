// A small seeded PRNG (mulberry32), so that every kill moment of a run can be replayed from its seed.
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The run's seed: AIRQ_CRASH_SEED when set (to replay a failure), else a new one. */
export function crashSeed(env: NodeJS.ProcessEnv = process.env): number {
  const s = env.AIRQ_CRASH_SEED;
  if (s !== undefined && s !== '') {
    if (!/^\d{1,10}$/.test(s)) throw new Error(`AIRQ_CRASH_SEED is a whole number (the seed a failed run printed), got ${JSON.stringify(s)}`);
    return Number(s) >>> 0;
  }
  return Math.floor(Math.random() * 2 ** 31);
}
