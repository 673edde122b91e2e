// Graders: tool selection (exact, F1), BFCL-style argument checks, abstention and ask-back, answer facts, groundedness.
import type { EvalCase, ExpectedCall } from './dataset.js';

export interface MadeCall {
  name: string;
  arguments: unknown;
}

/** The argument errors of the Berkeley Function Calling Leaderboard's AST checker. */
export type ArgError = 'wrong_name' | 'missing_required' | 'unexpected' | 'type_error' | 'value_error';

export interface CaseGrade {
  tool_exact: boolean;
  tool_f1: number;
  /** Undefined for cases that expect no tool call. */
  args_exact?: boolean;
  arg_errors: { call: string; error: ArgError; arg?: string }[];
  abstained: boolean;
  abstain_ok: boolean;
  /** Undefined unless the case expects an ask-back. */
  ask_back_ok?: boolean;
  includes_ok: boolean;
  missing: string[];
  /** Undefined when the case does not ask for grounding. */
  grounded?: boolean;
}

const normal = (v: unknown): unknown => (typeof v === 'string' ? v.trim().toLowerCase() : v);
const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function sameValue(a: unknown, b: unknown): boolean {
  if (typeOf(a) !== typeOf(b)) return false;
  if (typeof a === 'object' && a !== null) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b as object).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return normal(a) === normal(b);
}

/** The errors of one made call against one expected call of the same name (empty: it matches). */
export function argErrors(expected: ExpectedCall, made: MadeCall): { error: ArgError; arg?: string }[] {
  if (made.name !== expected.name) return [{ error: 'wrong_name' }];
  const args = typeof made.arguments === 'object' && made.arguments !== null ? (made.arguments as Record<string, unknown>) : {};
  const errors: { error: ArgError; arg?: string }[] = [];
  for (const [arg, acceptable] of Object.entries(expected.args)) {
    const given = args[arg];
    if (given === undefined) {
      if (!acceptable.includes(null)) errors.push({ error: 'missing_required', arg });
      continue;
    }
    if (acceptable.includes('*')) continue;
    const values = acceptable.filter((v) => v !== null);
    if (values.some((v) => sameValue(v, given))) continue;
    errors.push({ error: values.some((v) => typeOf(v) === typeOf(given)) ? 'value_error' : 'type_error', arg });
  }
  for (const arg of Object.keys(args)) if (!(arg in expected.args)) errors.push({ error: 'unexpected', arg });
  return errors;
}

function multisetF1(expected: string[], made: string[]): number {
  if (expected.length === 0 && made.length === 0) return 1;
  const left = [...made];
  let hits = 0;
  for (const e of expected) {
    const i = left.indexOf(e);
    if (i >= 0) {
      hits++;
      left.splice(i, 1);
    }
  }
  if (hits === 0) return 0;
  const precision = hits / made.length;
  const recall = hits / expected.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Pairs each expected call with an unused made call that matches it exactly; the errors of the closest one otherwise. */
function matchCalls(expected: ExpectedCall[], made: MadeCall[], ordered: boolean): { exact: boolean; errors: CaseGrade['arg_errors'] } {
  const used = new Set<number>();
  const errors: CaseGrade['arg_errors'] = [];
  expected.forEach((e, position) => {
    const candidates = ordered ? [position].filter((i) => i < made.length) : made.map((_, i) => i).filter((i) => !used.has(i));
    let best: { i: number; errs: { error: ArgError; arg?: string }[] } | undefined;
    for (const i of candidates) {
      const errs = argErrors(e, made[i]!);
      if (!best || errs.length < best.errs.length) best = { i, errs };
      if (errs.length === 0) break;
    }
    if (!best) return errors.push({ call: e.name, error: 'wrong_name' });
    if (best.errs.length === 0) used.add(best.i);
    for (const x of best.errs) errors.push({ call: e.name, ...x });
  });
  return { exact: errors.length === 0 && made.length === expected.length, errors };
}

/** A question back to the user: no tool call and an answer that asks something. */
export const isAskBack = (answer: string, calls: MadeCall[]) => calls.length === 0 && answer.includes('?');

export function gradeCase(c: EvalCase, run: { answer: string; calls: MadeCall[]; grounded: boolean }): CaseGrade {
  const e = c.expect;
  const expected = e.tools ?? [];
  const abstainExpected = e.no_tool || e.ask_back;
  const names = (xs: { name: string }[]) => xs.map((x) => x.name);
  const sorted = (xs: string[]) => [...xs].sort().join('\n');
  const toolExact = e.ordered ? names(expected).join('\n') === names(run.calls).join('\n') : sorted(names(expected)) === sorted(names(run.calls));
  const matched = expected.length > 0 ? matchCalls(expected, run.calls, e.ordered) : undefined;
  const abstained = run.calls.length === 0;
  const answer = run.answer.toLowerCase();
  const missing = [
    ...e.answer_includes.filter((s) => !answer.includes(s.toLowerCase())),
    ...e.answer_excludes.filter((s) => answer.includes(s.toLowerCase())).map((s) => `not "${s}"`),
  ];
  return {
    tool_exact: toolExact,
    tool_f1: multisetF1(names(expected), names(run.calls)),
    args_exact: matched?.exact,
    arg_errors: matched?.errors ?? [],
    abstained,
    abstain_ok: abstained === abstainExpected,
    ask_back_ok: e.ask_back ? isAskBack(run.answer, run.calls) : undefined,
    includes_ok: missing.length === 0,
    missing,
    grounded: e.grounded ? run.grounded : undefined,
  };
}
