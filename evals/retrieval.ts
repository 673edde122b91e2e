// The retrieval eval: knowledge questions and the documents that answer them, searched through search_similar, scored as recall@3 and MRR.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { McpTools } from '../src/agent/mcp-tools.js';
import { projectRoot } from '../src/core/data-dir.js';
import { assertUniqueIds, jsonlFiles, readJsonl } from './dataset.js';

export const RetrievalCase = z
  .object({
    id: z.string().min(1).max(200),
    question: z.string().min(1).max(2000),
    /** Every knowledge-base document (file name without .md) that answers the question. */
    relevant: z.array(z.string().min(1).max(200)).min(1),
    category: z.string().min(1).max(100).default('retrieval'),
  })
  .strict();
export type RetrievalCase = z.infer<typeof RetrievalCase>;

/** How many chunks are read per question: MRR looks this deep; recall@3 at the first three, the chunks the agent quotes from. */
export const DEPTH = 10;
export const AT = 3;

export const retrievalDir = () => join(projectRoot(), 'evals', 'retrieval');
export const bundledRetrievalSets = (): string[] => jsonlFiles(retrievalDir());

/** A file of retrieval cases rather than agent cases: its first case names `relevant` documents. */
export function isRetrievalFile(file: string): boolean {
  try {
    const first = readFileSync(file, 'utf8')
      .split('\n')
      .find((l) => l.trim() !== '');
    return first !== undefined && typeof JSON.parse(first) === 'object' && 'relevant' in (JSON.parse(first) as object);
  } catch {
    return false;
  }
}

export function loadRetrievalSets(files: string[]): RetrievalCase[] {
  const cases = files.flatMap((f) => readJsonl(f, RetrievalCase));
  assertUniqueIds(cases);
  return cases;
}

export interface RetrievalRun {
  id: string;
  category: string;
  question: string;
  relevant: string[];
  /** The document of each chunk found, best first. */
  found: string[];
  /** 1-based rank of the first chunk from a relevant document, null when none of the DEPTH chunks is. */
  rank: number | null;
  ms: number;
  error?: string;
}

const SearchResult = z.object({ results: z.array(z.object({ row: z.object({ doc_id: z.string() }).loose() })) });

/** Each question through the search_similar tool on the documents group, as the agent and MCP clients search. */
export async function runRetrieval(cases: RetrievalCase[], tools: McpTools, onCase?: (i: number, total: number) => void): Promise<RetrievalRun[]> {
  const runs: RetrievalRun[] = [];
  for (const [i, c] of cases.entries()) {
    const t0 = performance.now();
    const base = { id: c.id, category: c.category, question: c.question, relevant: c.relevant };
    const out = await tools.call('search_similar', { feature_group: 'documents', query: c.question, k: DEPTH }, { timeoutMs: 60_000 });
    const parsed = out.isError ? undefined : SearchResult.safeParse(JSON.parse(out.text));
    if (!parsed?.success) {
      runs.push({ ...base, found: [], rank: null, ms: performance.now() - t0, error: out.text.split('\n')[0] });
    } else {
      const found = parsed.data.results.map((r) => r.row.doc_id);
      const hit = found.findIndex((d) => c.relevant.includes(d));
      runs.push({ ...base, found, rank: hit < 0 ? null : hit + 1, ms: performance.now() - t0 });
    }
    onCase?.(i, cases.length);
  }
  return runs;
}

export interface RetrievalScores {
  cases: number;
  /** Share of questions with a chunk of a relevant document among the first AT. */
  recall_at_3: number;
  /** Mean of 1 / rank of the first relevant chunk (0 when none of DEPTH is). */
  mrr: number;
}

const round = (x: number) => Number(x.toFixed(4));

function scoresOf(runs: RetrievalRun[]): RetrievalScores {
  const n = runs.length;
  if (n === 0) return { cases: 0, recall_at_3: 0, mrr: 0 };
  return {
    cases: n,
    recall_at_3: round(runs.filter((r) => r.rank !== null && r.rank <= AT).length / n),
    mrr: round(runs.reduce((s, r) => s + (r.rank === null ? 0 : 1 / r.rank), 0) / n),
  };
}

export interface RetrievalSummary extends RetrievalScores {
  by_category: Record<string, RetrievalScores>;
}

export function summariseRetrieval(runs: RetrievalRun[]): RetrievalSummary {
  const categories = [...new Set(runs.map((r) => r.category))].sort();
  return { ...scoresOf(runs), by_category: Object.fromEntries(categories.map((c) => [c, scoresOf(runs.filter((r) => r.category === c))])) };
}
