// Every rule of the planner's vocabulary matches the questions it exists for and none it must not match.
import { describe, expect, it } from 'vitest';
import { RULE_NAMES, vocabulary } from '../../src/agent/planner/vocabulary.js';

describe('the planner vocabulary (prompts/planner-vocabulary.json)', () => {
  const rules = vocabulary();
  it.each(RULE_NAMES.map((n) => [n]))('%s matches its cases and none of its counter-cases', (name) => {
    const rule = rules[name];
    expect(rule.what.length).toBeGreaterThan(10);
    expect(rule.cases.filter((c) => !rule.re.test(c))).toEqual([]);
    expect(rule.not.filter((c) => rule.re.test(c))).toEqual([]);
  });
});
