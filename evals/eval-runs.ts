// Eval runs in the feature store: the `eval_runs` group (one row per run), so scores can be compared over time.
import { col, column as f, type FeatureGroupSpecInput, type FeatureStore, type Row } from '../src/store/index.js';
import type { Summary } from './metrics.js';
import type { RunMeta } from './report.js';

const score = (name: string, what: string) => f(name, 'float', what);

export const EVAL_RUNS: FeatureGroupSpecInput = {
  name: 'eval_runs',
  version: 1,
  description: 'Runs of `airq eval`: overall scores, the gate outcome and per-category scores, one row per run.',
  primaryKey: ['run_id'],
  eventTime: 'started_at',
  schema: [
    f('run_id', 'string', 'Unique id of the run.'),
    f('started_at', 'timestamp', 'When the run started (UTC).'),
    f('model', 'string', 'The model: airq-builtin-planner or the LLM name.'),
    f('datasets', 'string', 'The dataset files, comma-separated.'),
    f('cases', 'int', 'How many cases ran.'),
    score('tool_exact', 'Share of cases whose set of called tools is exactly the expected one.'),
    score('tool_f1', 'Mean F1 of called vs expected tool names.'),
    score('args_exact', 'Share of tool-calling cases whose every call matched its acceptable arguments.'),
    score('abstain_acc', 'Share of cases that called no tool exactly when they should not.'),
    score('ask_back_acc', 'Share of ask-back cases that asked back.'),
    score('answer_includes', 'Share of cases whose answer had every expected fact.'),
    score('grounded', 'Share of grounded cases whose every number came from a tool result.'),
    score('p50_ms', 'Median milliseconds per case.'),
    score('p95_ms', '95th percentile milliseconds per case.'),
    f('errors', 'int', 'Cases where the agent threw.'),
    f('passed', 'bool', 'Whether every gated score met its minimum.'),
    f('by_category', 'string', 'JSON: the same scores per category, and under "retrieval" the retrieval questions\' recall@3 and MRR.'),
  ],
};

/**
 * Records a run in eval_runs: at once when `store` is the store's writer, else through its queue
 * (a read snapshot), which this process or the store's writer applies next.
 */
export async function recordEvalRun(store: FeatureStore, meta: RunMeta, summary: Summary, passed: boolean): Promise<'inserted' | 'queued'> {
  return store.insertOrQueue(EVAL_RUNS, [
    {
      run_id: meta.run_id,
      started_at: meta.started_at,
      model: meta.model,
      datasets: meta.datasets.join(','),
      cases: summary.cases,
      tool_exact: summary.tool_exact,
      tool_f1: summary.tool_f1,
      args_exact: summary.args_exact,
      abstain_acc: summary.abstain_acc,
      ask_back_acc: summary.ask_back_acc,
      answer_includes: summary.answer_includes,
      grounded: summary.grounded,
      p50_ms: summary.p50_ms,
      p95_ms: summary.p95_ms,
      errors: summary.errors,
      passed,
      by_category: JSON.stringify({ ...summary.by_category, ...(summary.retrieval ? { retrieval: summary.retrieval } : {}) }),
    },
  ]);
}

const time = (v: unknown) => (v instanceof Date ? v.getTime() : Date.parse(String(v)));

/** The latest earlier run of the same model on the same datasets, to compare with. */
export async function previousEvalRun(store: FeatureStore, meta: RunMeta): Promise<Row | undefined> {
  const fg = store.listFeatureGroups().find((g) => g.name === EVAL_RUNS.name);
  if (!fg) return undefined;
  const rows = await fg
    .selectAll()
    .filter(col('model').eq(meta.model))
    .filter(col('datasets').eq(meta.datasets.join(',')))
    .read();
  return rows
    .filter((r) => r.run_id !== meta.run_id)
    .sort((a, b) => time(a.started_at) - time(b.started_at))
    .at(-1);
}
