// The embedding-model interface: texts in, unit vectors out, with an id that pins model and revision.

export interface Embedder {
  /** Model name and revision, e.g. "hashing-v1-384" or "Xenova/all-MiniLM-L6-v2@main": recorded with every vector. */
  readonly id: string;
  readonly dim: number;
  /** One L2-normalised vector per text, in order. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /** True when the vectors encode words rather than meaning (the hashing embedder): hybrid search then leans on BM25. */
  readonly lexical?: boolean;
}

/** Scales v to unit length in place (a zero vector stays zero). */
export function normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / n;
  return v;
}
