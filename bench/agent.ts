// Benchmark: the builtin agent over the bundled eval questions on the Beijing eval store, per-question latency and the loop's own overhead per step.
import { runAgent } from '../src/agent/loop.js';
import { BuiltinPlanner } from '../src/agent/planner/builtin-model.js';
import type { Model } from '../src/agent/types.js';
import { FeatureStore } from '../src/store/index.js';
import { bundledDatasets, loadDatasets } from '../evals/dataset.js';
import { ensureEvalStore } from '../evals/eval-store.js';
import { openEvalTools, type EvalTools } from '../evals/runner.js';
import { percentile, round } from './common.js';

/** Time intervals, merged so that parallel tool calls count once (their wall time, not their sum). */
class Intervals {
  private spans: [number, number][] = [];
  async time<T>(fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.spans.push([t0, performance.now()]);
    }
  }
  /** Total covered time since the last take, then forget. */
  take(): number {
    const sorted = this.spans.sort((a, b) => a[0] - b[0]);
    let total = 0;
    let end = -Infinity;
    for (const [s, e] of sorted) {
      if (e <= end) continue;
      total += e - Math.max(s, end);
      end = e;
    }
    this.spans = [];
    return total;
  }
}

/** Wraps the model and every MCP round trip so that what remains of a run's time is the loop's own. */
function instrument(model: Model, tools: EvalTools, modelTime: Intervals, toolTime: Intervals): Model {
  const t = tools.tools;
  const call = t.call.bind(t);
  const list = t.list.bind(t);
  const locations = t.locations.bind(t);
  t.call = (...a) => toolTime.time(() => call(...a));
  t.list = () => toolTime.time(list);
  t.locations = () => toolTime.time(locations);
  return { name: model.name, respond: (r) => modelTime.time(() => model.respond(r)) };
}

export async function benchAgent(dataDir: string, log: (s: string) => void = () => undefined) {
  const { dir, reused } = await ensureEvalStore(dataDir, log);
  log(`${reused ? 'reusing' : 'built'} the eval store ${dir}`);
  const cases = loadDatasets(bundledDatasets());
  const store = await FeatureStore.open({ dir, readOnly: true });
  const tools = await openEvalTools(store, 'bench');
  try {
    const modelTime = new Intervals();
    const toolTime = new Intervals();
    const model = instrument(await BuiltinPlanner.create(), tools, modelTime, toolTime);
    const run = async (c: (typeof cases)[number]) => {
      tools.setToday(c.today);
      modelTime.take();
      toolTime.take();
      const r = await runAgent(c.question, { model, tools: tools.tools, today: c.today });
      const model_ms = modelTime.take();
      const tool_ms = toolTime.take();
      return { ms: r.ms, steps: r.steps, overhead: Math.max(0, r.ms - model_ms - tool_ms), model_ms, tool_ms };
    };
    for (const c of cases) await run(c); // warm: caches, JIT, DuckDB's prepared statements
    log(`warm pass over ${cases.length} questions done; measuring`);
    const runs: Awaited<ReturnType<typeof run>>[] = [];
    for (const c of cases) runs.push(await run(c));
    const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
    const perStep = runs
      .filter((r) => r.steps > 0)
      .map((r) => r.overhead / r.steps)
      .sort((a, b) => a - b);
    const steps = runs.reduce((a, r) => a + r.steps, 0);
    const sum = (k: 'model_ms' | 'tool_ms' | 'overhead') => runs.reduce((a, r) => a + r[k], 0);
    return {
      questions: cases.length,
      p50_ms: round(percentile(ms, 50), 2),
      p99_ms: round(percentile(ms, 99), 2),
      max_ms: round(ms[ms.length - 1]!, 2),
      steps,
      overhead_per_step_p50_ms: round(percentile(perStep, 50), 3),
      overhead_per_step_p99_ms: round(percentile(perStep, 99), 3),
      overhead_per_step_mean_ms: round(sum('overhead') / Math.max(1, steps), 3),
      model_ms_total: round(sum('model_ms'), 1),
      tool_ms_total: round(sum('tool_ms'), 1),
      goal_p50_ms: 50,
      goal_overhead_per_step_ms: 5,
    };
  } finally {
    await tools.close();
    await store.close();
  }
}
