// The hashing embedder: deterministic unit vectors where shared words and spellings mean closeness.
import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../../src/embed/hashing.js';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('HashingEmbedder', () => {
  it('gives deterministic unit vectors of its dimension, with its id', async () => {
    const e = new HashingEmbedder();
    const [a, b] = await e.embed(['PM2.5 is fine particulate matter', 'PM2.5 is fine particulate matter']);
    expect(e.id).toBe('hashing-v1-384');
    expect(a).toHaveLength(384);
    expect(dot(a!, a!)).toBeCloseTo(1, 5);
    expect(Array.from(b!)).toEqual(Array.from(a!));
    expect(Array.from((await e.embed(['']))[0]!).every((x) => x === 0)).toBe(true);
  });

  it('puts texts that share words and word forms closer than unrelated ones', async () => {
    const e = new HashingEmbedder();
    const [q, near, inflected, far] = await e.embed([
      'health advice when PM2.5 is unhealthy',
      'Unhealthy PM2.5: health advice for sensitive groups',
      'unhealthful particulate pollution advisory',
      'how the gradient boosted trees are trained',
    ]);
    expect(dot(q!, near!)).toBeGreaterThan(0.4);
    expect(dot(q!, inflected!)).toBeGreaterThan(dot(q!, far!));
    expect(dot(q!, far!)).toBeLessThan(0.25); // nothing shared: only hash collisions
    expect(dot(q!, far!)).toBeLessThan(dot(q!, near!) / 2);
  });
});
