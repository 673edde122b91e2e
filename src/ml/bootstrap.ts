// Block bootstrap: how uncertain a share measured on correlated rows is (days of one week share their weather and errors).
import { ValidationError } from '../core/errors.js';
import { seededRandom } from './random.js';

/**
 * The central `level` interval of a share of `hits`, resampling whole blocks (rows with the same `block` key) with
 * replacement `rounds` times: rows that move together count as the one observation they nearly are. Seeded: the same
 * rows give the same interval.
 */
export function blockBootstrapShare(hits: readonly boolean[], blocks: readonly string[], level = 0.9, rounds = 1000, seed = 1): [number, number] {
  if (hits.length !== blocks.length) throw new ValidationError(`${hits.length} outcomes but ${blocks.length} block keys`);
  const byBlock = new Map<string, [number, number]>();
  hits.forEach((hit, i) => {
    const b = byBlock.get(blocks[i]!) ?? [0, 0];
    byBlock.set(blocks[i]!, [b[0] + (hit ? 1 : 0), b[1] + 1]);
  });
  const sums = [...byBlock.values()];
  if (sums.length === 0) return [NaN, NaN];
  const random = seededRandom(seed);
  const shares = Array.from({ length: rounds }, () => {
    let [inside, n] = [0, 0];
    for (let k = 0; k < sums.length; k++) {
      const [h, m] = sums[Math.floor(random() * sums.length)]!;
      inside += h;
      n += m;
    }
    return inside / n;
  }).sort((a, b) => a - b);
  const at = (q: number) => shares[Math.min(rounds - 1, Math.max(0, Math.round(q * (rounds - 1))))]!;
  return [at((1 - level) / 2), at((1 + level) / 2)];
}
