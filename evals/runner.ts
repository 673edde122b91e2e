// Runs eval cases through the agent (any model, airq's MCP tools in process, today fixed per case) and grades each run.
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { runAgent } from '../src/agent/loop.js';
import { McpTools } from '../src/agent/mcp-tools.js';
import type { Model } from '../src/agent/types.js';
import { silentLogger } from '../src/core/logger.js';
import { HashingEmbedder } from '../src/embed/hashing.js';
import type { Embedder } from '../src/embed/index.js';
import { createMcpServer } from '../src/mcp/server.js';
import { examplePlaceOf } from '../src/mcp/example-place.js';
import { fixedMoments } from '../src/airquality/services/moment.js';
import type { FeatureStore } from '../src/store/index.js';
import type { EvalCase } from './dataset.js';
import { gradeCase, type CaseGrade, type MadeCall } from './graders.js';
import type { Judgement } from './judge.js';

export interface EvalTools {
  tools: McpTools;
  /** The date the tools treat as today, set per case. */
  setToday(date: string): void;
  close(): Promise<void>;
}

/**
 * airq's MCP server on `store`, through a real MCP client, with a today the runner moves per case. Knowledge search
 * embeds queries with `embedder` (the hashing embedder, which built the eval store's knowledge base, by default).
 */
export async function openEvalTools(
  store: FeatureStore,
  version = 'eval',
  embedder: () => Promise<Embedder> = async () => new HashingEmbedder(),
): Promise<EvalTools> {
  let today = '1970-01-01';
  let loaded: Promise<Embedder> | undefined;
  const moments = fixedMoments(store, () => today);
  const server = createMcpServer({ version, log: silentLogger, moments, embedder: () => (loaded ??= embedder()), examplePlace: await examplePlaceOf(moments) });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const client = new Client({ name: 'airq-eval', version });
  await client.connect(b);
  const tools = new McpTools(client, () => server.close());
  return { tools, setToday: (d) => void (today = d), close: () => tools.close() };
}

export interface CaseRun {
  id: string;
  category: string;
  question: string;
  answer: string;
  calls: MadeCall[];
  ms: number;
  steps: number;
  /** When the agent threw; the case then fails every check. */
  error?: string;
  grade: CaseGrade;
  judge?: Judgement;
  /** Why the judge gave no verdict. */
  judge_error?: string;
}

export interface RunOptions {
  model: Model;
  tools: EvalTools;
  maxSteps?: number;
  /** Grades the answer too (LLM-as-judge), given the tool results the agent saw. */
  judge?: (c: EvalCase, answer: string, toolResults: string[]) => Promise<Judgement>;
  /** Called after each case, e.g. for progress. */
  onCase?: (run: CaseRun, index: number, total: number) => void;
}

export async function runCase(c: EvalCase, options: RunOptions): Promise<CaseRun> {
  options.tools.setToday(c.today);
  const t0 = performance.now();
  try {
    const r = await runAgent(c.question, { model: options.model, tools: options.tools.tools, today: c.today, maxSteps: options.maxSteps });
    const calls = r.toolCalls.map((t) => ({ name: t.name, arguments: t.arguments }));
    const grade = gradeCase(c, { answer: r.answer, calls, grounded: r.ungrounded.length === 0 });
    const run: CaseRun = { id: c.id, category: c.category, question: c.question, answer: r.answer, calls, ms: r.ms, steps: r.steps, grade };
    if (options.judge) {
      const results = r.messages.flatMap((m) => (m.role === 'tool' ? [`${m.name}: ${m.content}`] : []));
      try {
        run.judge = await options.judge(c, r.answer, results);
      } catch (e) {
        run.judge_error = e instanceof Error ? e.message : String(e);
      }
    }
    return run;
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    const grade = gradeCase(c, { answer: '', calls: [{ name: '(error)', arguments: {} }], grounded: false });
    return { id: c.id, category: c.category, question: c.question, answer: '', calls: [], ms: performance.now() - t0, steps: 0, error, grade };
  }
}

/** Every case in order (cases share one store and one today variable, so they run one at a time). */
export async function runCases(cases: EvalCase[], options: RunOptions): Promise<CaseRun[]> {
  const runs: CaseRun[] = [];
  for (const [i, c] of cases.entries()) {
    const run = await runCase(c, options);
    runs.push(run);
    options.onCase?.(run, i, cases.length);
  }
  return runs;
}
