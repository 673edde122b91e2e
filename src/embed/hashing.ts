// A deterministic lexical embedder that needs no model files: hashed words, word pairs and character n-grams.
//
// Each feature is hashed (FNV-1a) to one of `dim` slots with a hashed sign, so collisions cancel
// rather than pile up; counts are damped (1 + ln tf) so a repeated word does not dominate; and the
// vector is L2-normalised, so cosine similarity is a dot product. It captures shared vocabulary
// and spelling (character n-grams match "pollutant" with "pollution"), not meaning: it is the
// offline default and what CI uses, and airq says so wherever it is in use.
import type { Embedder } from './embedder.js';
import { normalize } from './embedder.js';

const WEIGHTS = { word: 1, pair: 0.7, gram: 0.35 } as const;

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:[.,][\p{N}]+)*/gu) ?? [];
}

/** The weighted features of a text: word:, pair: and gram: prefixed so the kinds never collide. */
export function features(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (key: string, w: number) => counts.set(key, (counts.get(key) ?? 0) + w);
  const ws = words(text);
  ws.forEach((w, i) => {
    add(`word:${w}`, WEIGHTS.word);
    if (i > 0) add(`pair:${ws[i - 1]} ${w}`, WEIGHTS.pair);
    const padded = `<${w}>`;
    for (const n of [3, 4]) for (let j = 0; j + n <= padded.length; j++) add(`gram:${padded.slice(j, j + n)}`, WEIGHTS.gram);
  });
  return counts;
}

export class HashingEmbedder implements Embedder {
  readonly id: string;
  readonly lexical = true;
  constructor(readonly dim = 384) {
    this.id = `hashing-v1-${dim}`;
  }

  embedOne(text: string): Float32Array {
    const v = new Float32Array(this.dim);
    for (const [key, weight] of features(text)) {
      const h = fnv1a(key);
      const sign = fnv1a(`sign:${key}`) & 1 ? 1 : -1;
      // Sublinear weighting of the (weighted) count: 1 + ln(count) for counts above one.
      v[h % this.dim] = v[h % this.dim]! + sign * (weight > 1 ? 1 + Math.log(weight) : weight);
    }
    return normalize(v);
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t));
  }
}
