// Eval reports: the score table (terminal and markdown), the failing cases with expected and made calls, and the JSON record.
import type { ExpectedCall } from './dataset.js';
import type { GateFailure } from './gate.js';
import type { MadeCall } from './graders.js';
import type { Scores, Summary } from './metrics.js';
import type { RetrievalRun, RetrievalSummary } from './retrieval.js';
import type { CaseRun } from './runner.js';
import type { EvalCase } from './dataset.js';

export interface RunMeta {
  run_id: string;
  started_at: string;
  model: string;
  datasets: string[];
  store: string;
  thresholds: string;
}

const COLUMNS: [keyof Scores, string][] = [
  ['cases', 'cases'],
  ['tool_exact', 'tool_exact'],
  ['tool_f1', 'tool_f1'],
  ['args_exact', 'args_exact'],
  ['abstain_acc', 'abstain'],
  ['ask_back_acc', 'ask_back'],
  ['answer_includes', 'includes'],
  ['grounded', 'grounded'],
  ['p50_ms', 'p50_ms'],
  ['p95_ms', 'p95_ms'],
];
const JUDGE: [keyof Scores, string][] = [
  ['judge_faithfulness', 'faithful'],
  ['judge_helpfulness', 'helpful'],
];

/** Rates with three decimals, milliseconds with one, counts as they are; '–' where a category has no such cases. */
function cell(key: keyof Scores, v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v !== 'number') return String(v);
  if (key.endsWith('_ms')) return v.toFixed(1);
  return key === 'cases' ? String(v) : v.toFixed(3);
}

function rows(summary: Summary): { header: string[]; body: string[][] } {
  const cols = [...COLUMNS, ...(summary.judge_faithfulness !== undefined ? JUDGE : [])];
  const line = (name: string, s: Scores) => [name, ...cols.map(([k]) => cell(k, s[k]))];
  return {
    header: ['category', ...cols.map(([, h]) => h)],
    body: [...Object.entries(summary.by_category).map(([c, s]) => line(c, s)), line('overall', summary)],
  };
}

function retrievalRows(r: RetrievalSummary): { header: string[]; body: string[][] } {
  const line = (name: string, s: { cases: number; recall_at_3: number; mrr: number }) => [name, String(s.cases), s.recall_at_3.toFixed(3), s.mrr.toFixed(3)];
  return {
    header: ['retrieval', 'cases', 'recall@3', 'mrr'],
    body: [...Object.entries(r.by_category).map(([c, s]) => line(c, s)), line('overall', r)],
  };
}

function aligned({ header, body }: { header: string[]; body: string[][] }): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(header), ...body.map(fmt)].join('\n');
}

/** The score tables for a terminal: one row per category, then overall; the agent's, then the retrieval questions'. */
export function textTable(summary: Summary): string {
  const tables = summary.cases > 0 ? [aligned(rows(summary))] : [];
  if (summary.retrieval) tables.push(aligned(retrievalRows(summary.retrieval)));
  return tables.join('\n\n');
}

const markdownTable = ({ header, body }: { header: string[]; body: string[][] }) => [
  `| ${header.join(' | ')} |`,
  `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
  ...body.map((r) => `| ${r.join(' | ')} |`),
];

/** The retrieval section: scores, then each question whose answer was not in the first three chunks. */
function retrievalSection(summary: Summary, runs: RetrievalRun[]): string[] {
  if (!summary.retrieval) return [];
  const missed = runs.filter((r) => r.rank === null || r.rank > 3);
  const out = [
    '',
    '## Retrieval (search_similar on documents)',
    '',
    ...markdownTable(retrievalRows(summary.retrieval)),
    '',
    `### Missed in the top 3 (${missed.length})`,
    '',
  ];
  for (const r of missed) {
    out.push(
      `- ${r.id}: "${r.question}" wants ${r.relevant.join(' or ')}; found ${r.found.slice(0, 3).join(', ') || '(nothing)'}${r.rank ? ` (first relevant at ${r.rank})` : ''}${r.error ? ` — ${r.error}` : ''}`,
    );
  }
  return out;
}

/** Why a case failed, in words; empty when it passed. */
export function problems(run: CaseRun): string[] {
  const g = run.grade;
  const out: string[] = [];
  if (run.error) out.push(`the agent failed: ${run.error}`);
  if (!g.abstain_ok) out.push(g.abstained ? 'called no tool but should have' : 'called a tool but should have abstained');
  else if (!g.tool_exact) out.push('wrong tools');
  if (g.args_exact === false && g.tool_exact) out.push(`wrong arguments: ${g.arg_errors.map((e) => `${e.error}${e.arg ? ` (${e.arg})` : ''}`).join(', ')}`);
  if (g.ask_back_ok === false) out.push('did not ask back');
  if (!g.includes_ok) out.push(`answer lacks ${g.missing.map((m) => (m.startsWith('not "') ? m : `"${m}"`)).join(', ')}`);
  if (g.grounded === false) out.push('answer has numbers no tool returned');
  return out;
}

const showExpected = (c: ExpectedCall) =>
  `${c.name}(${Object.entries(c.args)
    .map(([k, v]) => `${k}: ${v.map((x) => (x === null ? '(omitted)' : JSON.stringify(x))).join(' | ')}`)
    .join(', ')})`;
const showMade = (c: MadeCall) => `${c.name}(${JSON.stringify(c.arguments)})`;

export function markdownReport(
  meta: RunMeta,
  summary: Summary,
  gateFailures: GateFailure[],
  runs: CaseRun[],
  cases: Map<string, EvalCase>,
  retrievalRuns: RetrievalRun[] = [],
): string {
  const failing = runs.filter((r) => problems(r).length > 0);
  const out = [
    `# airq eval ${meta.run_id}`,
    '',
    `${meta.started_at} · model \`${meta.model}\` · ${summary.cases} cases from ${meta.datasets.map((d) => `\`${d}\``).join(', ')} · store \`${meta.store}\``,
    '',
    `**Gate (${meta.thresholds}): ${gateFailures.length === 0 ? 'passed' : 'FAILED'}**`,
    ...gateFailures.map((f) => `- ${f.score} ${f.value} is below the minimum ${f.min}`),
    '',
    '## Scores',
    '',
    ...markdownTable(rows(summary)),
    ...retrievalSection(summary, retrievalRuns),
    '',
    `Argument errors (BFCL): ${Object.entries(summary.arg_errors)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
    `## Failing cases (${failing.length})`,
    '',
  ];
  if (failing.length === 0) out.push('None.');
  for (const r of failing) {
    const expected = cases.get(r.id)?.expect;
    out.push(`### ${r.id} (${r.category})`, '', `> ${r.question}`, '');
    out.push(`- problems: ${problems(r).join('; ')}`);
    const want = !expected
      ? '(the case is not in the datasets)'
      : expected.no_tool
        ? 'no tool call'
        : expected.ask_back
          ? 'a question back, no tool call'
          : (expected.tools ?? []).map(showExpected).join('; ') || 'no tool call';
    out.push(`- expected: ${want}`);
    out.push(`- made: ${r.calls.length === 0 ? 'no tool call' : r.calls.map(showMade).join('; ')}`);
    out.push(`- answer: ${r.answer.replace(/\s+/g, ' ').slice(0, 400) || '(none)'}`);
    if (r.judge) out.push(`- judge: faithfulness ${r.judge.faithfulness}, helpfulness ${r.judge.helpfulness} — ${r.judge.reason}`);
    out.push('');
  }
  return out.join('\n');
}

export function jsonReport(meta: RunMeta, summary: Summary, gateFailures: GateFailure[], runs: CaseRun[], retrievalRuns: RetrievalRun[] = []): object {
  return {
    ...meta,
    passed: gateFailures.length === 0,
    gate_failures: gateFailures,
    summary,
    runs: runs.map((r) => ({ ...r, problems: problems(r) })),
    retrieval_runs: retrievalRuns,
  };
}
