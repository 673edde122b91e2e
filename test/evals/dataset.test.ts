// Eval datasets: line-numbered validation, unique ids, and bundled sets that cover every category the issue asks for.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledDatasets, loadDataset, loadDatasets } from '../../evals/dataset.js';
import { tempDir } from '../helpers/tmp.js';

const good = { id: 'a-1', question: 'Air in Dongsi tomorrow?', today: '2017-02-21', category: 'forecast_day', expect: { tools: [] } };
function file(lines: unknown[]): string {
  const f = join(tempDir(), 'set.jsonl');
  writeFileSync(f, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
  return f;
}

describe('eval datasets', () => {
  it('reports every bad line with its number and what is wrong', () => {
    const f = file([
      good,
      '{not json',
      { ...good, id: 'a-2', today: '21/02/2017' },
      { ...good, id: 'a-3', expect: { no_tool: true, tools: [{ name: 'x', args: {} }] } },
    ]);
    expect(() => loadDataset(f)).toThrow(/3 bad line\(s\): line 2: not JSON.*line 3: .*YYYY-MM-DD.*line 4: .*no_tool and ask_back cases expect no tool calls/);
  });

  it('rejects unknown fields, empty acceptable-value lists, empty files and duplicate ids', () => {
    expect(() => loadDataset(file([{ ...good, expected: {} }]))).toThrow(/line 1/);
    expect(() => loadDataset(file([{ ...good, expect: { tools: [{ name: 'x', args: { location: [] } }] } }]))).toThrow(/line 1/);
    expect(() => loadDataset(file(['', '  ']))).toThrow(/no cases/);
    expect(() => loadDatasets([file([good]), file([good])])).toThrow(/"a-1" appears twice/);
    expect(() => loadDataset('/nonexistent/set.jsonl')).toThrow(/cannot read the dataset/);
  });

  it('fills defaults so graders see every field', () => {
    const [c] = loadDataset(file([good]));
    expect(c!.expect).toEqual({ tools: [], ordered: false, no_tool: false, ask_back: false, answer_includes: [], answer_excludes: [], grounded: true });
  });

  it('the bundled sets have at least 200 cases over every required category', () => {
    const cases = loadDatasets(bundledDatasets());
    expect(cases.length).toBeGreaterThanOrEqual(200);
    const categories = new Set(cases.map((c) => c.category));
    for (const c of [
      'history_day',
      'history_range',
      'forecast_day',
      'forecast_range',
      'relative_dates',
      'parallel',
      'similar_days',
      'knowledge',
      'feature_vector',
      'comparison',
      'irrelevant',
      'ambiguous',
      'injection',
      'misspelled',
    ])
      expect(categories, c).toContain(c);
    expect(new Set(cases.map((c) => c.question.toLowerCase())).size, 'questions are not repeated').toBe(cases.length);
  });
});
