// The block bootstrap: whole blocks resampled, so correlated rows widen the interval; seeded and reproducible.
import { describe, expect, it } from 'vitest';
import { blockBootstrapShare } from '../../src/ml/index.js';

describe('blockBootstrapShare', () => {
  const hits = Array.from({ length: 200 }, (_, i) => Math.floor(i / 20) % 2 === 0); // 10 runs of 20 hits, 10 of 20 misses

  it('is wider when the rows come in correlated blocks than when each row stands alone', () => {
    const [blockLow, blockHigh] = blockBootstrapShare(
      hits,
      hits.map((_, i) => `w${Math.floor(i / 20)}`),
    );
    const [rowLow, rowHigh] = blockBootstrapShare(
      hits,
      hits.map((_, i) => `r${i}`),
    );
    expect(blockLow).toBeLessThan(0.5);
    expect(blockHigh).toBeGreaterThan(0.5);
    expect(rowLow).toBeLessThan(0.5);
    expect(rowHigh).toBeGreaterThan(0.5);
    // 10 blocks of 20 rows that move together against 200 independent rows: about √20 times as wide.
    expect(blockHigh - blockLow).toBeGreaterThan(3 * (rowHigh - rowLow));
  });

  it('is a point when every row is a hit, and the same for the same seed', () => {
    expect(blockBootstrapShare([true, true, true], ['a', 'b', 'b'])).toEqual([1, 1]);
    const blocks = hits.map((_, i) => `w${i % 7}`);
    expect(blockBootstrapShare(hits, blocks, 0.9, 500, 3)).toEqual(blockBootstrapShare(hits, blocks, 0.9, 500, 3));
  });

  it('refuses outcomes and blocks of different lengths', () => {
    expect(() => blockBootstrapShare([true], [])).toThrow(/1 outcomes but 0 block keys/);
  });
});
