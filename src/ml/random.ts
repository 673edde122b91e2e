// Seeded sampling for boosting (rows, columns), on the core PRNG.
import type { Random } from '../core/random.js';

export { seededRandom, type Random } from '../core/random.js';

/** `k` distinct indices of 0..n-1 in increasing order (partial Fisher-Yates). */
export function sampleIndices(n: number, k: number, random: Random): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  const m = Math.min(n, Math.max(0, k));
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(random() * (n - i));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, m).sort((a, b) => a - b);
}
