// Hybrid search: the vector ranking and the BM25 ranking of a text query fused by reciprocal rank fusion.
//
// RRF (Cormack et al., 2009) adds 1 / (RRF_K + rank) over the rankings a row appears in. It needs no
// score calibration between cosine similarity and BM25, which live on unrelated scales, and a row
// ranked well by both beats one ranked first by either alone.
import type { FeatureValue, Row } from '../types.js';

/** The constant of the RRF paper: large enough that the first few ranks do not dominate. */
export const RRF_K = 60;

export type SearchMode = 'hybrid' | 'vector' | 'lexical';

export interface RankedRow {
  key: FeatureValue[];
  row: Row;
  distance: number;
  score: number;
}

export interface FusedRow extends RankedRow {
  /** 1-based rank of the row in each ranking it appeared in. */
  ranks: { vector?: number; lexical?: number };
}

/** Rows of both rankings by fused score (ties: the vector ranking's order), at most k; `vectorWeight` scales the vector ranking's part. */
export function fuseRankings(vector: readonly RankedRow[], lexical: readonly RankedRow[], k: number, vectorWeight = 1): FusedRow[] {
  const byKey = new Map<string, FusedRow & { fused: number; order: number }>();
  const add = (list: readonly RankedRow[], which: 'vector' | 'lexical', weight: number, offset: number) =>
    list.forEach((r, i) => {
      const id = JSON.stringify(r.key);
      const seen = byKey.get(id) ?? { ...r, ranks: {}, fused: 0, order: offset + i };
      seen.ranks[which] = i + 1;
      seen.fused += weight / (RRF_K + i + 1);
      byKey.set(id, seen);
    });
  add(vector, 'vector', vectorWeight, 0);
  add(lexical, 'lexical', 1, vector.length);
  return [...byKey.values()]
    .sort((a, b) => b.fused - a.fused || a.order - b.order)
    .slice(0, k)
    .map(({ fused, order: _, ...r }) => ({ ...r, score: fused }));
}

/** The distance hnswlib would report between two vectors, for rows only the lexical ranking found. */
export function distanceBetween(metric: string, a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  let l2 = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
    l2 += (x - y) * (x - y);
  }
  if (metric === 'l2') return l2;
  if (metric === 'ip') return 1 - dot;
  return na === 0 || nb === 0 ? 1 : 1 - dot / Math.sqrt(na * nb);
}
