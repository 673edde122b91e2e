// The gate and the reports: thresholds are validated, a score below its minimum fails, and reports name failing cases.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvalCase } from '../../evals/dataset.js';
import { defaultThresholdsFile, gate, loadThresholds } from '../../evals/gate.js';
import { gradeCase } from '../../evals/graders.js';
import { parseVerdict, judgePrompt } from '../../evals/judge.js';
import { summarise } from '../../evals/metrics.js';
import { markdownReport, problems, textTable } from '../../evals/report.js';
import type { CaseRun } from '../../evals/runner.js';
import { tempDir } from '../helpers/tmp.js';

const c = EvalCase.parse({
  id: 'f-1',
  question: 'Air in Dongsi tomorrow?',
  today: '2017-02-21',
  category: 'forecast_day',
  expect: { tools: [{ name: 'get_air_quality_forecast', args: { location: ['beijing-dongsi'], start_date: ['2017-02-22'] } }], answer_includes: ['Dongsi'] },
});
function run(startDate: string, category = 'forecast_day'): CaseRun {
  const calls = [{ name: 'get_air_quality_forecast', arguments: { location: 'beijing-dongsi', start_date: startDate } }];
  const answer = `Dongsi on ${startDate}: 40 µg/m³`;
  return {
    id: `${category}-${startDate}`,
    category,
    question: c.question,
    answer,
    calls,
    ms: 2,
    steps: 2,
    grade: gradeCase(c, { answer, calls, grounded: true }),
  };
}

describe('the eval gate', () => {
  it('the bundled thresholds are valid and gate the issue goals', () => {
    const t = loadThresholds(defaultThresholdsFile());
    for (const k of ['tool_exact', 'args_exact', 'abstain_acc'] as const) expect(t.min[k]).toBeGreaterThanOrEqual(0.95);
    expect(t.min.grounded).toBe(1);
  });

  it('rejects unknown scores and values outside [0, 1]', () => {
    const f = join(tempDir(), 't.json');
    writeFileSync(f, JSON.stringify({ min: { tool_exactness: 0.9 } }));
    expect(() => loadThresholds(f)).toThrow(/tool_exactness|allowed scores/);
    writeFileSync(f, JSON.stringify({ min: { tool_exact: 1.5 } }));
    expect(() => loadThresholds(f)).toThrow(/t\.json/);
  });

  it('fails exactly the scores below their minimum, and skips scores with no cases', () => {
    const summary = summarise([run('2017-02-22'), run('2017-02-22', 'b'), run('2017-02-23', 'b'), run('2017-02-22', 'c')]);
    expect(summary.tool_exact).toBe(1);
    expect(summary.args_exact).toBe(0.75);
    expect(summary.by_category.b!.args_exact).toBe(0.5);
    expect(gate(summary, { min: { tool_exact: 1, args_exact: 0.9, ask_back_acc: 1 } })).toEqual([{ score: 'args_exact', value: 0.75, min: 0.9 }]);
    expect(gate(summary, { min: { args_exact: 0.75 } })).toEqual([]);
  });

  it('the report names each failing case with its expected and made calls', () => {
    const runs = [run('2017-02-22'), run('2017-02-25')];
    const summary = summarise(runs);
    const md = markdownReport(
      { run_id: 'r1', started_at: '2026-11-24T00:00:00Z', model: 'm', datasets: ['d.jsonl'], store: '/s', thresholds: 't.json' },
      summary,
      gate(summary, { min: { args_exact: 1 } }),
      runs,
      new Map(runs.map((r) => [r.id, c])),
    );
    expect(md).toContain('FAILED');
    expect(md).toContain('### forecast_day-2017-02-25');
    expect(md).toContain('- expected: get_air_quality_forecast(location: "beijing-dongsi", start_date: "2017-02-22")');
    expect(md).toContain('- made: get_air_quality_forecast({"location":"beijing-dongsi","start_date":"2017-02-25"})');
    expect(problems(runs[1]!)).toEqual(['wrong arguments: value_error (start_date)']);
    expect(md).not.toContain('### forecast_day-2017-02-22');
    expect(textTable(summary).split('\n').at(-1)).toMatch(/^overall\s+2\s+1\.000\s+1\.000\s+0\.500/);
  });
});

describe('the judge', () => {
  it('reads a verdict out of a reply and rejects replies that are not one', () => {
    expect(parseVerdict('Sure: {"faithfulness": 5, "helpfulness": "4", "reason": "cites  the forecast"}')).toEqual({
      faithfulness: 5,
      helpfulness: 4,
      reason: 'cites the forecast',
    });
    expect(() => parseVerdict('I think it is fine')).toThrow(/did not answer with JSON/);
    expect(() => parseVerdict('{"faithfulness": 9, "helpfulness": 1, "reason": ""}')).toThrow(/not a verdict/);
  });

  it('puts the question, tool results and answer in the prompt without reading their braces as placeholders', () => {
    const p = judgePrompt({ question: 'q {today}', today: '2017-02-21', answer: 'a', toolResults: ['get_air_quality_forecast: {"pm25": 40}'] });
    expect(p).toContain('q {today}');
    expect(p).toContain('{"pm25": 40}');
    expect(p).toContain('Today was 2017-02-21');
  });
});
