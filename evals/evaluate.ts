// One eval: run the cases through the agent and the retrieval questions through the search, score both, and hold the scores against the thresholds.
import type { EvalCase } from './dataset.js';
import { gate, type GateFailure, type Thresholds } from './gate.js';
import { summarise, type Summary } from './metrics.js';
import { runRetrieval, summariseRetrieval, type RetrievalCase, type RetrievalRun } from './retrieval.js';
import { runCases, type CaseRun, type RunOptions } from './runner.js';

export interface Evaluation {
  runs: CaseRun[];
  retrievalRuns: RetrievalRun[];
  summary: Summary;
  gateFailures: GateFailure[];
  passed: boolean;
}

export async function evaluate(cases: EvalCase[], retrieval: RetrievalCase[], thresholds: Thresholds, options: RunOptions): Promise<Evaluation> {
  const runs = await runCases(cases, options);
  const retrievalRuns = await runRetrieval(retrieval, options.tools.tools);
  const summary: Summary = { ...summarise(runs), retrieval: retrievalRuns.length > 0 ? summariseRetrieval(retrievalRuns) : null };
  const gateFailures = gate(summary, thresholds);
  return { runs, retrievalRuns, summary, gateFailures, passed: gateFailures.length === 0 };
}
