// One eval: run the cases through the agent, score them, and hold the scores against the thresholds.
import type { EvalCase } from './dataset.js';
import { gate, type GateFailure, type Thresholds } from './gate.js';
import { summarise, type Summary } from './metrics.js';
import { runCases, type CaseRun, type RunOptions } from './runner.js';

export interface Evaluation {
  runs: CaseRun[];
  summary: Summary;
  gateFailures: GateFailure[];
  passed: boolean;
}

export async function evaluate(cases: EvalCase[], thresholds: Thresholds, options: RunOptions): Promise<Evaluation> {
  const runs = await runCases(cases, options);
  const summary = summarise(runs);
  const gateFailures = gate(summary, thresholds);
  return { runs, summary, gateFailures, passed: gateFailures.length === 0 };
}
