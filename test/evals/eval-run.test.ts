// Evals end to end on the real Beijing eval store: the builtin planner passes the gate, a broken date resolver fails it,
// the judge grades through an OpenAI-compatible server, and `airq eval` reports, records and exits as documented.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledDatasets, loadDatasets, type EvalCase } from '../../evals/dataset.js';
import { ensureEvalStore } from '../../evals/eval-store.js';
import { evaluate } from '../../evals/evaluate.js';
import { defaultThresholdsFile, loadThresholds } from '../../evals/gate.js';
import { judgeAnswer } from '../../evals/judge.js';
import { markdownReport } from '../../evals/report.js';
import { bundledRetrievalSets, loadRetrievalSets } from '../../evals/retrieval.js';
import { openEvalTools, type EvalTools } from '../../evals/runner.js';
import { OpenAIModel } from '../../src/agent/openai-model.js';
import { BuiltinPlanner } from '../../src/agent/planner/builtin-model.js';
import { resolveDates } from '../../src/agent/planner/dates.js';
import { addDays } from '../../src/core/dates.js';
import { FeatureStore } from '../../src/store/index.js';
import { airq, lastJson } from '../helpers/cli.js';
import { dataDir } from '../helpers/data.js';
import { chatCompletion } from '../helpers/openai-replies.js';
import { replayServer } from '../helpers/replay-server.js';
import { tempDir } from '../helpers/tmp.js';

const beijing = dataDir('beijing');
const describeData = beijing ? describe : describe.skip;

describeData('evals on the Beijing eval store', () => {
  let store: FeatureStore;
  let tools: EvalTools;
  let cases: EvalCase[];
  const thresholds = loadThresholds(defaultThresholdsFile());

  beforeAll(async () => {
    // The default cache, shared with the `airq eval` step of npm test, so the store is built once per code version.
    const { dir } = await ensureEvalStore(beijing!);
    store = await FeatureStore.open({ dir, readOnly: true });
    tools = await openEvalTools(store);
    cases = loadDatasets(bundledDatasets());
  }, 180_000);
  afterAll(async () => {
    await tools?.close();
    await store?.close();
  });

  it('every tool the datasets expect is one the MCP server lists', async () => {
    const names = new Set((await tools.tools.list()).map((t) => t.name));
    const expected = new Set(cases.flatMap((c) => (c.expect.tools ?? []).map((t) => t.name)));
    expect([...expected].filter((n) => !names.has(n))).toEqual([]);
    expect(expected.size).toBeGreaterThanOrEqual(8);
  });

  it('the builtin planner passes the gate on the bundled datasets', async () => {
    const ev = await evaluate(cases, [], thresholds, { model: await BuiltinPlanner.create(), tools });
    expect(ev.gateFailures).toEqual([]);
    expect(ev.summary.errors).toBe(0);
    expect(ev.summary.cases).toBe(cases.length);
  }, 120_000);

  it('the retrieval questions pass their gate through search_similar; a wrong relevance judgement shows as a miss', async () => {
    const questions = loadRetrievalSets(bundledRetrievalSets());
    const ev = await evaluate([], questions, thresholds, { model: await BuiltinPlanner.create(), tools });
    expect(ev.gateFailures).toEqual([]);
    expect(ev.summary.retrieval!.cases).toBe(questions.length);
    expect(ev.summary.retrieval!.recall_at_3).toBeGreaterThanOrEqual(thresholds.min.retrieval_recall_at_3!);
    // Every question found something, and what it found is a document of the knowledge base.
    expect(ev.retrievalRuns.every((r) => r.found.length === 10 && r.error === undefined)).toBe(true);
    const found = ev.retrievalRuns.find((r) => r.rank === 1)!;
    const misjudged = { ...questions.find((q) => q.id === found.id)!, relevant: ['no-such-document'] };
    const wrong = await evaluate([], [misjudged], thresholds, { model: await BuiltinPlanner.create(), tools });
    expect(wrong.summary.retrieval).toMatchObject({ cases: 1, recall_at_3: 0, mrr: 0 });
    expect(wrong.gateFailures.map((f) => f.score).sort()).toEqual(['retrieval_mrr', 'retrieval_recall_at_3']);
  }, 120_000);

  it('a planner with a broken date resolver (one day off) fails the gate, and the report names the cases', async () => {
    const offByOne = (text: string, today: string, direction: Parameters<typeof resolveDates>[2]) => resolveDates(text, addDays(today, 1), direction);
    const model = await BuiltinPlanner.create(undefined, { dates: offByOne });
    const ev = await evaluate(cases, [], thresholds, { model, tools });
    expect(ev.passed).toBe(false);
    expect(ev.gateFailures.map((f) => f.score)).toContain('args_exact');
    expect(ev.summary.by_category.relative_dates!.args_exact).toBeLessThan(0.5);
    expect(ev.summary.by_category.irrelevant!.abstain_acc).toBe(1); // only what depends on dates broke
    const md = markdownReport(
      { run_id: 'broken', started_at: new Date().toISOString(), model: model.name, datasets: ['bundled'], store: 'eval', thresholds: 'thresholds.json' },
      ev.summary,
      ev.gateFailures,
      ev.runs,
      new Map(cases.map((c) => [c.id, c])),
    );
    const failed = ev.runs.find((r) => r.category === 'relative_dates' && r.grade.args_exact === false)!;
    expect(md).toContain(`### ${failed.id} (relative_dates)`);
    expect(md).toMatch(/value_error \((start_date|date)\)/);
  }, 120_000);

  it('the judge grades answers through an OpenAI-compatible server; a reply that is no verdict is recorded as such', async () => {
    const server = await replayServer();
    const verdict = (content: string) => chatCompletion({ content }, { model: 'judge' });
    server.script('/v1/chat/completions', [verdict('{"faithfulness": 5, "helpfulness": 4, "reason": "states the forecast"}'), verdict('no idea')]);
    const judgeModel = new OpenAIModel({ baseURL: `${server.url}/v1`, model: 'judge' });
    const two = cases.filter((c) => c.category === 'forecast_day').slice(0, 2);
    const ev = await evaluate(two, [], thresholds, {
      model: await BuiltinPlanner.create(),
      tools,
      judge: (c, answer, results) => judgeAnswer(judgeModel, { question: c.question, today: c.today, answer, toolResults: results }),
    });
    expect(ev.runs[0]!.judge).toEqual({ faithfulness: 5, helpfulness: 4, reason: 'states the forecast' });
    expect(ev.runs[1]!.judge).toBeUndefined();
    expect(ev.runs[1]!.judge_error).toMatch(/did not answer with JSON/);
    expect(ev.summary.judge_faithfulness).toBe(5);
    // The judge saw the question, the tool's result and the answer.
    const prompt = JSON.parse(server.bodies[0]!).messages[0].content as string;
    expect(prompt).toContain(two[0]!.question);
    expect(prompt).toContain('get_air_quality_forecast: {');
    expect(prompt).toContain(ev.runs[0]!.answer.slice(0, 40));
  });

  describe('airq eval', () => {
    const small = (dir: string, mutate: (c: EvalCase) => EvalCase = (c) => c) => {
      const picked = ['forecast_day', 'history_range', 'irrelevant', 'ambiguous'].map((cat) => cases.find((c) => c.category === cat)!);
      const f = join(dir, 'small.jsonl');
      writeFileSync(f, picked.map((c) => JSON.stringify(mutate(c))).join('\n'));
      return f;
    };

    it('grades a dataset, writes the reports, records the run in eval_runs and compares with the run before', async () => {
      const dir = tempDir();
      const env = { AIRQ_STORE: join(dir, 'store'), AIRQ_LOG_LEVEL: 'info' };
      const args = ['eval', '--dataset', small(dir), '--out', join(dir, 'reports'), '--json'];
      const first = await airq(args, env);
      expect(first.code, first.stderr).toBe(0);
      const j = lastJson(first);
      expect(j).toMatchObject({ cases: 4, tool_exact: 1, tool_f1: 1, args_exact: 1, abstain_acc: 1, grounded: 1, passed: true });
      expect(Object.keys(j.by_category as object).sort()).toEqual(['ambiguous', 'forecast_day', 'history_range', 'irrelevant']);
      expect(typeof j.p50_ms).toBe('number');
      expect(first.stdout).toMatch(/^overall\s+4\s+1\.000/m);
      expect(readFileSync(j.report as string, 'utf8')).toContain('## Failing cases (0)');
      expect(existsSync((j.report as string).replace(/\.md$/, '.json'))).toBe(true);

      const second = await airq(args, env);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toContain(`compared with run ${String(j.run_id)}: no score changed`);
      const runs = await airq(['fg', 'read', 'eval_runs', '--json'], env);
      const { rows } = lastJson(runs) as unknown as { rows: { run_id: string; passed: boolean; cases: number }[] };
      expect(rows.map((r) => r.cases)).toEqual([4, 4]);
      expect(rows.every((r) => r.passed)).toBe(true);
    }, 120_000);

    it('exits 1 below the thresholds, and the report names the failing case with its expected and made calls', async () => {
      const dir = tempDir();
      // A wrong expectation stands in for a regression: the forecast case now expects the day after.
      const wrong = small(dir, (c) =>
        c.category === 'forecast_day'
          ? { ...c, expect: { ...c.expect, tools: c.expect.tools!.map((t) => ({ ...t, args: { ...t.args, start_date: ['2030-01-01'] } })) } }
          : c,
      );
      const r = await airq(['eval', '--dataset', wrong, '--out', join(dir, 'reports'), '--json'], { AIRQ_STORE: join(dir, 'store') });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/eval gate failed: args_exact 0\.5 is below 0\.99/); // 1 of the 2 cases with tool calls
      const j = lastJson(r);
      expect(j.passed).toBe(false);
      const id = cases.find((c) => c.category === 'forecast_day')!.id;
      expect(j.failing).toEqual([id]);
      const md = readFileSync(j.report as string, 'utf8');
      expect(md).toContain(`### ${id} (forecast_day)`);
      expect(md).toContain('start_date: "2030-01-01"');
      expect(md).toMatch(/- made: get_air_quality_forecast\(\{"location":"beijing-\w+","start_date":"2017-02-\d\d"/);
    }, 60_000);

    it('rejects bad input with a clear message and writes nothing', async () => {
      const dir = tempDir();
      const out = join(dir, 'reports');
      const bad = join(dir, 'bad.jsonl');
      writeFileSync(bad, `${JSON.stringify(cases[0])}\n{"id": "x"}\n`);
      const badLine = await airq(['eval', '--dataset', bad, '--out', out], { AIRQ_STORE: join(dir, 'store') });
      expect(badLine.code).toBe(1);
      expect(badLine.stderr).toMatch(/bad\.jsonl has 1 bad line\(s\): line 2: .*question/);
      const badCategory = await airq(['eval', '--category', 'nope', '--out', out], { AIRQ_STORE: join(dir, 'store') });
      expect(badCategory.code).toBe(2);
      expect(badCategory.stderr).toMatch(/no cases of category nope; the categories are .*forecast_day/);
      const badLlm = await airq(['eval', '--llm', 'gpt', '--out', out], { AIRQ_STORE: join(dir, 'store') });
      expect(badLlm.code).toBe(2);
      expect(await airq(['eval', '--today', '2017-02-21'], {}).then((r) => r.code)).toBe(2);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(join(dir, 'store'))).toBe(false);
    }, 60_000);

    it('--llm openai --judge runs the agent and the judge against an OpenAI-compatible endpoint', async () => {
      const server = await replayServer();
      // Every request gets this reply: the agent answers with it (no tool), and the judge reads it as its verdict.
      const content = '{"faithfulness": 3, "helpfulness": 2, "reason": "scripted"}';
      server.script('/v1/chat/completions', [chatCompletion({ content }, { model: 'scripted' })]);
      const dir = tempDir();
      const r = await airq(['eval', '--llm', 'openai', '--judge', '--dataset', small(dir), '--out', join(dir, 'r'), '--json'], {
        AIRQ_STORE: join(dir, 'store'),
        OPENAI_BASE_URL: `${server.url}/v1`,
        OPENAI_API_KEY: '',
        AIRQ_LLM_MODEL: 'scripted',
      });
      expect(r.code, r.stderr).toBe(1); // it called no tool where tools were expected
      const j = lastJson(r);
      expect(j).toMatchObject({ cases: 4, judge_faithfulness: 3, judge_helpfulness: 2, abstain_acc: 0.5 });
      expect(server.requests.length).toBeGreaterThanOrEqual(8); // an agent turn and a judge call per case
      expect(readdirSync(join(dir, 'r')).filter((f) => f.endsWith('.md'))).toHaveLength(1);
    }, 60_000);
  });
});
