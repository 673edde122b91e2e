// The graders: BFCL-style argument errors, tool F1, ordered matching, abstention, ask-back, answer facts and groundedness.
import { describe, expect, it } from 'vitest';
import { EvalCase } from '../../evals/dataset.js';
import { argErrors, gradeCase, isAskBack } from '../../evals/graders.js';

const call = (name: string, args: Record<string, unknown[]>) => ({ name, args });
const made = (name: string, args: Record<string, unknown>) => ({ name, arguments: args });
const forecast = call('get_air_quality_forecast', { location: ['beijing-dongsi', 'Dongsi'], start_date: ['2017-02-22'], end_date: ['2017-02-22', null] });
const history = call('get_air_quality_history', { location: ['beijing-tiantan'], start_date: ['2017-02-20'], end_date: ['2017-02-20'] });

const evalCase = (expect: Record<string, unknown>) =>
  EvalCase.parse({ id: 'x', question: 'q', today: '2017-02-21', category: 'c', expect: { grounded: true, ...expect } });

describe('argErrors', () => {
  it('accepts any listed value, case-insensitively, and leaves out what null allows', () => {
    expect(argErrors(forecast, made('get_air_quality_forecast', { location: 'DONGSI', start_date: '2017-02-22' }))).toEqual([]);
    expect(argErrors(forecast, made('get_air_quality_forecast', { location: 'beijing-dongsi', start_date: '2017-02-22', end_date: '2017-02-22' }))).toEqual([]);
  });

  it('names each kind of error', () => {
    expect(argErrors(forecast, made('get_air_quality_history', {}))).toEqual([{ error: 'wrong_name' }]);
    expect(argErrors(forecast, made('get_air_quality_forecast', { location: 'Dongsi' }))).toEqual([{ error: 'missing_required', arg: 'start_date' }]);
    expect(argErrors(forecast, made('get_air_quality_forecast', { location: 'Dongsi', start_date: '2017-02-23' }))).toEqual([
      { error: 'value_error', arg: 'start_date' },
    ]);
    expect(argErrors(forecast, made('get_air_quality_forecast', { location: 7, start_date: '2017-02-22' }))).toEqual([
      { error: 'type_error', arg: 'location' },
    ]);
    expect(argErrors(forecast, made('get_air_quality_forecast', { location: 'Dongsi', start_date: '2017-02-22', k: 3 }))).toEqual([
      { error: 'unexpected', arg: 'k' },
    ]);
  });

  it('"*" accepts any value and objects compare by content', () => {
    const fv = call('get_feature_vector', { feature_view: ['pm25_state'], entity: [{ location_id: 'beijing-dongsi' }], version: [null, '*'] });
    expect(argErrors(fv, made('get_feature_vector', { feature_view: 'pm25_state', entity: { location_id: 'beijing-dongsi' }, version: 9 }))).toEqual([]);
    expect(argErrors(fv, made('get_feature_vector', { feature_view: 'pm25_state', entity: { location_id: 'beijing-tiantan' } }))).toEqual([
      { error: 'value_error', arg: 'entity' },
    ]);
  });
});

describe('gradeCase', () => {
  it('matches parallel calls in any order unless ordered', () => {
    const c = evalCase({ tools: [forecast, history] });
    const calls = [
      made('get_air_quality_history', { location: 'beijing-tiantan', start_date: '2017-02-20', end_date: '2017-02-20' }),
      made('get_air_quality_forecast', { location: 'Dongsi', start_date: '2017-02-22' }),
    ];
    expect(gradeCase(c, { answer: 'a', calls, grounded: true })).toMatchObject({ tool_exact: true, tool_f1: 1, args_exact: true });
    const ordered = evalCase({ tools: [forecast, history], ordered: true });
    expect(gradeCase(ordered, { answer: 'a', calls, grounded: true })).toMatchObject({ tool_exact: false, args_exact: false });
  });

  it('scores a missing or extra call with F1 and not as exact', () => {
    const c = evalCase({ tools: [forecast, history] });
    const one = gradeCase(c, { answer: 'a', calls: [made('get_air_quality_forecast', { location: 'Dongsi', start_date: '2017-02-22' })], grounded: true });
    expect(one.tool_exact).toBe(false);
    expect(one.tool_f1).toBeCloseTo(2 / 3, 5);
    expect(one.args_exact).toBe(false);
    const dup = [made('get_air_quality_forecast', { location: 'Dongsi', start_date: '2017-02-22' }), ...Array(2).fill(made('list_locations', {}))];
    expect(gradeCase(evalCase({ tools: [forecast] }), { answer: 'a', calls: dup, grounded: true }).tool_f1).toBeCloseTo(0.5, 5);
  });

  it('grades abstention, asking back, facts and grounding', () => {
    const decline = evalCase({ no_tool: true });
    expect(gradeCase(decline, { answer: 'I only do air quality.', calls: [], grounded: true })).toMatchObject({ abstain_ok: true, tool_exact: true });
    expect(gradeCase(decline, { answer: 'x', calls: [made('list_locations', {})], grounded: true })).toMatchObject({ abstain_ok: false, tool_exact: false });
    const ask = evalCase({ ask_back: true });
    expect(gradeCase(ask, { answer: 'Which place do you mean?', calls: [], grounded: true }).ask_back_ok).toBe(true);
    expect(gradeCase(ask, { answer: 'It will be fine.', calls: [], grounded: true }).ask_back_ok).toBe(false);
    const facts = evalCase({ tools: [forecast], answer_includes: ['Dongsi', '2017-02-22'], answer_excludes: ['always safe'] });
    const g = gradeCase(facts, { answer: 'dongsi is always safe', calls: [], grounded: false });
    expect(g.missing).toEqual(['2017-02-22', 'not "always safe"']);
    expect(g.grounded).toBe(false);
    expect(gradeCase(evalCase({ grounded: false, no_tool: true }), { answer: '', calls: [], grounded: false }).grounded).toBeUndefined();
  });

  it('an ask-back is a question with no tool call', () => {
    expect(isAskBack('Which place?', [])).toBe(true);
    expect(isAskBack('Which place?', [made('list_locations', {})])).toBe(false);
    expect(isAskBack('Dongsi.', [])).toBe(false);
  });
});
