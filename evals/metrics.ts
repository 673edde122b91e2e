// From graded runs to scores: overall and per category, the figures the gate compares with evals/thresholds.json.
import { percentile } from '../src/core/percentile.js';
import type { ArgError } from './graders.js';
import type { RetrievalSummary } from './retrieval.js';
import type { CaseRun } from './runner.js';

export interface Scores {
  cases: number;
  tool_exact: number;
  tool_f1: number;
  /** Over the cases that expect tool calls. */
  args_exact: number | null;
  /** Over every case: did it call no tool exactly when it should not have? */
  abstain_acc: number;
  /** Over the cases that expect an ask-back. */
  ask_back_acc: number | null;
  answer_includes: number;
  /** Over the cases that ask for grounding. */
  grounded: number | null;
  p50_ms: number;
  p95_ms: number;
  errors: number;
  judge_faithfulness?: number | null;
  judge_helpfulness?: number | null;
}

export interface Summary extends Scores {
  arg_errors: Record<ArgError, number>;
  by_category: Record<string, Scores>;
  /** The retrieval questions' scores; null when the run had none. */
  retrieval?: RetrievalSummary | null;
}

const mean = (xs: number[]): number | null => (xs.length === 0 ? null : round(xs.reduce((a, b) => a + b, 0) / xs.length));
const round = (x: number, digits = 4) => Number(x.toFixed(digits));
const rate = (xs: (boolean | undefined)[]) => mean(xs.filter((x): x is boolean => x !== undefined).map(Number));

/** Milliseconds at the p-th percentile, 0 for no runs. */
function msAt(values: number[], p: number): number {
  return values.length === 0
    ? 0
    : round(
        percentile(
          [...values].sort((a, b) => a - b),
          p,
        ),
        2,
      );
}

export function scores(runs: CaseRun[]): Scores {
  const g = runs.map((r) => r.grade);
  const judged = runs.filter((r) => r.judge);
  return {
    cases: runs.length,
    tool_exact: rate(g.map((x) => x.tool_exact)) ?? 0,
    tool_f1: mean(g.map((x) => x.tool_f1)) ?? 0,
    args_exact: rate(g.map((x) => x.args_exact)),
    abstain_acc: rate(g.map((x) => x.abstain_ok)) ?? 0,
    ask_back_acc: rate(g.map((x) => x.ask_back_ok)),
    answer_includes: rate(g.map((x) => x.includes_ok)) ?? 0,
    grounded: rate(g.map((x) => x.grounded)),
    p50_ms: msAt(
      runs.map((r) => r.ms),
      50,
    ),
    p95_ms: msAt(
      runs.map((r) => r.ms),
      95,
    ),
    errors: runs.filter((r) => r.error).length,
    ...(judged.length > 0
      ? { judge_faithfulness: mean(judged.map((r) => r.judge!.faithfulness)), judge_helpfulness: mean(judged.map((r) => r.judge!.helpfulness)) }
      : {}),
  };
}

export function summarise(runs: CaseRun[]): Summary {
  const arg_errors: Record<ArgError, number> = { wrong_name: 0, missing_required: 0, unexpected: 0, type_error: 0, value_error: 0 };
  for (const r of runs) for (const e of r.grade.arg_errors) arg_errors[e.error]++;
  const categories = [...new Set(runs.map((r) => r.category))].sort();
  return {
    ...scores(runs),
    arg_errors,
    by_category: Object.fromEntries(categories.map((c) => [c, scores(runs.filter((r) => r.category === c))])),
  };
}
