// Word search over a group's text columns: the BM25 index kept per column, rebuilt when the group commits, and filtered rows in BM25 order.
import { ValidationError } from '../../core/errors.js';
import type { Filter } from '../query/filter.js';
import type { FeatureGroupMeta, FeatureValue, Row } from '../types.js';
import { distanceBetween } from './hybrid.js';
import { LexicalIndex } from './lexical-index.js';
import type { EmbeddingIndexSpec } from './spec.js';

/** What word search needs from its group: its definition, its commits and its rows. */
export interface LexicalContext {
  meta(): FeatureGroupMeta;
  storeCommit(): number;
  latestCommit(): Promise<number>;
  /** The given columns of the current rows. */
  readColumns(columns: string[]): Promise<Record<string, unknown>[]>;
  /** The current rows of these keys that pass the filter, in the keys' order, at most k. */
  rowsOf(keys: FeatureValue[][], filter: Filter | undefined, k: number): Promise<{ key: FeatureValue[]; row: Row }[]>;
}

export interface WordHit {
  key: FeatureValue[];
  row: Row;
  /** The vector distance to the query (NaN for a row without an embedding). */
  distance: number;
  /** BM25+. */
  score: number;
}

/** The columns a text query's words are matched in: those the index declares, else every string column outside the key. */
export function textColumns(meta: FeatureGroupMeta, spec: EmbeddingIndexSpec): string[] {
  if (spec.text) return spec.text;
  return (meta.schema ?? []).filter((f) => f.type === 'string' && !meta.primaryKey.includes(f.name)).map((f) => f.name);
}

interface Built {
  index: LexicalIndex;
  keys: FeatureValue[][];
  storeCommit: number;
  groupCommit: number;
}

export class LexicalSearch {
  private readonly built = new Map<string, Built>();

  constructor(private readonly ctx: LexicalContext) {}

  /** The k rows best matching the words of `query` that pass the filter (call inside the group's serialisation). */
  async rows(spec: EmbeddingIndexSpec, query: string, vector: number[], k: number, filter: Filter | undefined): Promise<WordHit[]> {
    const { index, keys } = await this.index(spec);
    const hits = index.find(query, Number.POSITIVE_INFINITY);
    const out: WordHit[] = [];
    // Without a filter the first k hits are the answer; with one, widen batch by batch until k rows pass or no hit is left.
    for (let from = 0, size = Math.max(4 * k, 40); from < hits.length && out.length < k; from += size, size *= 4) {
      const batch = hits.slice(from, from + size);
      const rows = await this.ctx.rowsOf(
        batch.map((h) => keys[h.index]!),
        filter,
        k - out.length,
      );
      const scores = new Map(batch.map((h) => [JSON.stringify(keys[h.index]), h.score]));
      for (const r of rows) {
        const v = r.row[spec.column];
        const distance = Array.isArray(v) ? distanceBetween(spec.metric, v as number[], vector) : Number.NaN;
        out.push({ ...r, distance, score: scores.get(JSON.stringify(r.key))! });
      }
      if (!filter) break;
    }
    return out;
  }

  /** The BM25 index of the column's text columns, rebuilt when the group has a new commit. */
  private async index(spec: EmbeddingIndexSpec): Promise<Built> {
    const now = this.ctx.storeCommit();
    const cached = this.built.get(spec.column);
    if (cached && cached.storeCommit === now) return cached;
    const groupCommit = await this.ctx.latestCommit();
    if (cached && cached.groupCommit === groupCommit) return Object.assign(cached, { storeCommit: now });
    const meta = this.ctx.meta();
    const columns = textColumns(meta, spec);
    if (columns.length === 0) throw new ValidationError(`${meta.name} v${meta.version} has no text columns to search by words; search it by vector`);
    const rows = await this.ctx.readColumns([...meta.primaryKey, ...columns]);
    const built = {
      index: LexicalIndex.build(rows.map((r) => columns.map((c) => String(r[c] ?? '')))),
      keys: rows.map((r) => meta.primaryKey.map((c) => (r[c] ?? null) as FeatureValue)),
      storeCommit: now,
      groupCommit,
    };
    this.built.set(spec.column, built);
    return built;
  }

  drop(): void {
    this.built.clear();
  }
}
