// `airq eval`: runs eval datasets through the agent on the Beijing eval store, prints and writes the scores, records the run, and gates on thresholds.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { bundledDatasets, loadDatasets, type EvalCase } from '../../../evals/dataset.js';
import { ensureEvalStore } from '../../../evals/eval-store.js';
import { previousEvalRun, recordEvalRun } from '../../../evals/eval-runs.js';
import { evaluate, type Evaluation } from '../../../evals/evaluate.js';
import { defaultThresholdsFile, GATED, loadThresholds, scoreOf } from '../../../evals/gate.js';
import { bundledRetrievalSets, isRetrievalFile, loadRetrievalSets } from '../../../evals/retrieval.js';
import { judgeAnswer } from '../../../evals/judge.js';
import { jsonReport, markdownReport, problems, textTable, type RunMeta } from '../../../evals/report.js';
import { openEvalTools } from '../../../evals/runner.js';
import { OpenAIModel, openAIOptionsFromEnv } from '../../agent/openai-model.js';
import { findDataDir } from '../../core/data-dir.js';
import { errorMessage, UsageError } from '../../core/errors.js';
import { llmConfig, serviceConfig } from '../../core/config.js';
import { HashingEmbedder, selectEmbedder } from '../../embed/index.js';
import { applyQueueNow, DB_FILE, FeatureStore } from '../../store/index.js';
import { noMorePositionals, option, parse, type Parsed } from '../args.js';
import { chooseModel } from '../agent-session.js';
import { contextFrom, openForReading, openForWriting, type CliContext } from '../context.js';

const Llm = z.enum(['builtin', 'openai']);
const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : []);

/** The store the tools run on: --store as given, else the cached Beijing eval store. */
async function toolStore(ctx: CliContext, explicit: boolean, path: string | undefined): Promise<{ store: FeatureStore; dir: string; own: boolean }> {
  if (explicit) {
    if (!existsSync(join(ctx.storeDir, DB_FILE)))
      throw new UsageError(`eval: no airq store in ${ctx.storeDir}; build one with airq demo, or leave out --store`);
    return { store: await openForReading(ctx), dir: ctx.storeDir, own: true };
  }
  const data = path ?? findDataDir('beijing');
  if (!data) throw new UsageError('eval: the eval store is built from the UCI Beijing data: pass --path DIR, or run `airq download beijing` first');
  const { dir, reused } = await ensureEvalStore(data, (s) => ctx.log.info(s));
  ctx.log.info(`${reused ? 'reusing' : 'built'} the eval store ${dir}`);
  return { store: await FeatureStore.open({ dir, readOnly: true }), dir, own: false };
}

/** A store for the run's record: the user's (created when there is none yet), read from its snapshot; the record goes through its queue. */
async function recordingStore(ctx: CliContext): Promise<FeatureStore> {
  if (!existsSync(join(ctx.storeDir, DB_FILE))) await (await openForWriting(ctx)).close();
  return openForReading(ctx);
}

/** Records the run in the eval_runs group of the user's store and returns the line comparing it with the one before. */
async function record(ctx: CliContext, into: FeatureStore | undefined, meta: RunMeta, ev: Evaluation): Promise<string | undefined> {
  let store = into;
  try {
    store ??= await recordingStore(ctx);
    const before = await previousEvalRun(store, meta);
    await recordEvalRun(store, meta, ev.summary, ev.passed);
    const applied = await applyQueueNow(ctx.storeDir, ctx.log);
    ctx.log.info(
      applied
        ? `run ${meta.run_id} recorded in the eval_runs feature group of ${ctx.storeDir}`
        : `run ${meta.run_id} is queued for eval_runs in ${ctx.storeDir}; the store's writer records it when it finishes`,
    );
    if (!before) return undefined;
    const deltas = GATED.flatMap((k) => {
      const now = scoreOf(ev.summary, k);
      const then = before[k];
      return typeof now === 'number' && typeof then === 'number' && Math.abs(now - then) >= 0.0005 ? [`${k} ${then.toFixed(3)} → ${now.toFixed(3)}`] : [];
    });
    return `compared with run ${String(before.run_id)}: ${deltas.length ? deltas.join(', ') : 'no score changed'}`;
  } catch (e) {
    ctx.log.warn(`the run is not recorded in eval_runs: ${errorMessage(e).split('\n')[0]}`);
    return undefined;
  } finally {
    if (store && store !== into) await store.close();
  }
}

/** Every input checked before anything runs: bad input changes nothing. */
async function readInputs(v: Parsed['values']) {
  if (v.today !== undefined) throw new UsageError('eval: --today does not apply; every case carries its own today');
  const given = list(v.dataset).map((f) => resolve(f));
  const datasets = given.length ? given : [...bundledDatasets(), ...bundledRetrievalSets()];
  // A retrieval set (questions and the documents that answer them) is told apart by its cases.
  let cases: EvalCase[] = loadDatasets(datasets.filter((f) => !isRetrievalFile(f)));
  let retrieval = loadRetrievalSets(datasets.filter(isRetrievalFile));
  const categories = list(v.category);
  if (categories.length) {
    const known = new Set([...cases, ...retrieval].map((c) => c.category));
    const unknown = categories.filter((c) => !known.has(c));
    if (unknown.length) throw new UsageError(`eval: no cases of category ${unknown.join(', ')}; the categories are ${[...known].sort().join(', ')}`);
    cases = cases.filter((c) => categories.includes(c.category));
    retrieval = retrieval.filter((c) => categories.includes(c.category));
  }
  const thresholdsFile = typeof v.thresholds === 'string' ? resolve(v.thresholds) : defaultThresholdsFile();
  const thresholds = loadThresholds(thresholdsFile);
  const model = await chooseModel(v.llm === undefined ? 'builtin' : option(Llm, v.llm, 'llm'));
  const llm = openAIOptionsFromEnv();
  if (v.judge && !llm) throw new UsageError('eval: --judge needs an LLM: set OPENAI_API_KEY (or OPENAI_BASE_URL), and AIRQ_LLM_MODEL for the model');
  // A judge other than the model under test avoids grading its own answers: AIRQ_JUDGE_MODEL.
  const judgeModel = v.judge && llm ? new OpenAIModel({ ...llm, model: llmConfig()?.judgeModel ?? llm.model }) : undefined;
  const outDir = resolve(typeof v.out === 'string' ? v.out : 'eval-reports');
  return { cases, retrieval, datasets, thresholds, thresholdsFile, model, judgeModel, outDir };
}

/** The markdown and JSON reports; returns the markdown's path. */
function writeReports(outDir: string, meta: RunMeta, ev: Evaluation, cases: EvalCase[]): string {
  mkdirSync(outDir, { recursive: true });
  const md = join(outDir, `${meta.run_id}.md`);
  writeFileSync(md, markdownReport(meta, ev.summary, ev.gateFailures, ev.runs, new Map(cases.map((c) => [c.id, c])), ev.retrievalRuns));
  writeFileSync(join(outDir, `${meta.run_id}.json`), `${JSON.stringify(jsonReport(meta, ev.summary, ev.gateFailures, ev.runs, ev.retrievalRuns), null, 2)}\n`);
  return md;
}

function printResult(ctx: CliContext, meta: RunMeta, ev: Evaluation, md: string, comparison: string | undefined, json: boolean, judged: boolean): void {
  ctx.out.line(textTable(ev.summary));
  const failing = ev.runs.filter((r) => problems(r).length > 0);
  for (const r of failing.slice(0, 10)) ctx.out.line(`FAIL ${r.id}: ${problems(r).join('; ')}`);
  if (failing.length > 10) ctx.out.line(`… and ${failing.length - 10} more failing cases in the report`);
  if (comparison) ctx.out.line(comparison);
  ctx.out.line(`report: ${md}`);
  ctx.out.line(`gate (${meta.thresholds}): ${ev.passed ? 'passed' : ev.gateFailures.map((f) => `${f.score} ${f.value} < ${f.min}`).join(', ')}`);
  if (!json) return;
  const s = ev.summary;
  ctx.out.json({
    cases: s.cases,
    tool_exact: s.tool_exact,
    tool_f1: s.tool_f1,
    args_exact: s.args_exact,
    abstain_acc: s.abstain_acc,
    grounded: s.grounded,
    p50_ms: s.p50_ms,
    by_category: s.by_category,
    ask_back_acc: s.ask_back_acc,
    answer_includes: s.answer_includes,
    p95_ms: s.p95_ms,
    arg_errors: s.arg_errors,
    retrieval: s.retrieval ?? null,
    ...(judged ? { judge_faithfulness: s.judge_faithfulness ?? null, judge_helpfulness: s.judge_helpfulness ?? null } : {}),
    failing: failing.map((r) => r.id),
    passed: ev.passed,
    run_id: meta.run_id,
    report: md,
  });
}

export async function evalCommand(argv: readonly string[], version: string): Promise<void> {
  const p = parse(
    argv,
    {
      dataset: { type: 'string', multiple: true },
      category: { type: 'string', multiple: true },
      llm: { type: 'string' },
      path: { type: 'string' },
      thresholds: { type: 'string' },
      judge: { type: 'boolean' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      'skip-without-data': { type: 'boolean' },
    },
    'eval',
  );
  const ctx = contextFrom(p);
  const v = p.values;
  noMorePositionals(p, 0, 'eval');
  const { cases, retrieval, datasets, thresholds, thresholdsFile, model, judgeModel, outDir } = await readInputs(v);
  const explicitStore = typeof v.store === 'string';
  const path = typeof v.path === 'string' ? v.path : undefined;
  if (!explicitStore && v['skip-without-data'] && !(path ?? findDataDir('beijing'))) {
    const msg = 'the eval needs the UCI Beijing data (set AIRQ_DATA_DIR or run `airq download beijing`)';
    if (serviceConfig().requireData) throw new Error(`${msg}; AIRQ_REQUIRE_DATA=1 makes this a failure`);
    ctx.log.warn(`SKIPPING: ${msg}`);
    return;
  }
  const { store, dir, own } = await toolStore(ctx, explicitStore, path);
  const embedder = own ? async () => (await selectEmbedder(dir)).embedder : async () => new HashingEmbedder();
  const tools = await openEvalTools(store, version, embedder);
  const meta: RunMeta = {
    run_id: `eval-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomUUID().slice(0, 6)}`,
    started_at: new Date().toISOString(),
    model: model.name,
    datasets: datasets.map((f) => basename(f)),
    store: dir,
    thresholds: basename(thresholdsFile),
  };
  let ev: Evaluation;
  try {
    const progress = ctx.progress('eval');
    ev = await evaluate(cases, retrieval, thresholds, {
      model,
      tools,
      judge: judgeModel && ((c, answer, results) => judgeAnswer(judgeModel, { question: c.question, today: c.today, answer, toolResults: results })),
      onCase: (run, i, total) => progress({ done: i + 1, total, message: run.id }),
    });
  } finally {
    await tools.close();
  }
  let comparison: string | undefined;
  try {
    comparison = await record(ctx, own ? store : undefined, meta, ev);
  } finally {
    await store.close();
  }
  const md = writeReports(outDir, meta, ev, cases);
  printResult(ctx, meta, ev, md, comparison, v.json === true, judgeModel !== undefined);
  if (!ev.passed) {
    throw new Error(`eval gate failed: ${ev.gateFailures.map((f) => `${f.score} ${f.value} is below ${f.min}`).join(', ')} (see ${md})`);
  }
}
