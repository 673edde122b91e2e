// Runs an expectation suite over a batch of normalised rows, before anything is written.
import { INVALID, normalizeValue } from '../schema.js';
import type { FeatureValue, Row } from '../types.js';
import type { Expectation, ExpectationResult, ExpectationSuite, ValidationReport } from './schema.js';

/** Rows of the table (other than the ones this batch replaces) that clash with the batch on `columns`. */
export type TableDuplicateCheck = (columns: string[]) => Promise<{ count: number; sample: { row: number; value: unknown }[] }>;

const SAMPLE = 5;

function valueCheck(e: Expectation): ((v: FeatureValue) => boolean) | undefined {
  switch (e.kind) {
    case 'valuesBetween':
      return (v) => (e.min === undefined || (v as number | string) >= e.min) && (e.max === undefined || (v as number | string) <= e.max);
    case 'valuesInSet': {
      const allowed = new Set<unknown>(e.values);
      return (v) => allowed.has(v);
    }
    case 'valuesMatchRegex': {
      const re = new RegExp(e.pattern);
      return (v) => re.test(String(v));
    }
    case 'valuesOfType':
      // The same notion of a type as the schema's: the value would be accepted by a column of that type.
      return (v) => normalizeValue(e.type, v) !== INVALID;
    default:
      return undefined;
  }
}

function result(expectation: Expectation, elementCount: number, sample: { row: number; value: unknown }[], unexpectedCount: number): ExpectationResult {
  const mostly = 'mostly' in expectation && expectation.mostly !== undefined ? expectation.mostly : 1;
  const unexpectedPercent = elementCount === 0 ? 0 : (100 * unexpectedCount) / elementCount;
  const success = elementCount === 0 || (elementCount - unexpectedCount) / elementCount >= mostly - 1e-12;
  return { expectation, success, elementCount, unexpectedCount, unexpectedPercent, sample };
}

function evaluateColumn(e: Expectation & { column: string }, rows: readonly Row[]): ExpectationResult {
  const sample: { row: number; value: unknown }[] = [];
  let bad = 0;
  let counted = 0;
  const check = valueCheck(e);
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i]![e.column] ?? null;
    if (e.kind === 'notNull') {
      counted++;
      if (v !== null) continue;
    } else {
      if (v === null) continue; // value expectations ignore missing values; notNull covers them
      counted++;
      if (check!(v)) continue;
    }
    bad++;
    if (sample.length < SAMPLE) sample.push({ row: i, value: v });
  }
  return result(e, counted, sample, bad);
}

function evaluateUniqueInBatch(columns: string[], rows: readonly Row[]) {
  const seen = new Map<string, number>();
  const sample: { row: number; value: unknown }[] = [];
  let bad = 0;
  for (let i = 0; i < rows.length; i++) {
    const values = columns.map((c) => rows[i]![c] ?? null);
    if (values.some((v) => v === null)) continue;
    const key = JSON.stringify(values);
    if (seen.has(key)) {
      bad++;
      if (sample.length < SAMPLE) sample.push({ row: i, value: values.length === 1 ? values[0] : values });
    } else seen.set(key, i);
  }
  return { bad, sample };
}

export async function evaluateSuite(suite: ExpectationSuite, rows: readonly Row[], tableDuplicates: TableDuplicateCheck): Promise<ValidationReport> {
  const results: ExpectationResult[] = [];
  for (const e of suite.expectations) {
    if (e.kind === 'rowCountBetween') {
      const ok = (e.min === undefined || rows.length >= e.min) && (e.max === undefined || rows.length <= e.max);
      results.push({
        expectation: e,
        success: ok,
        elementCount: rows.length,
        unexpectedCount: ok ? 0 : rows.length,
        unexpectedPercent: ok ? 0 : 100,
        sample: [],
      });
    } else if (e.kind === 'unique') {
      const inBatch = evaluateUniqueInBatch(e.columns, rows);
      const inTable = await tableDuplicates(e.columns);
      const sample = [...inBatch.sample, ...inTable.sample].slice(0, SAMPLE);
      results.push(result(e, rows.length, sample, inBatch.bad + inTable.count));
    } else {
      results.push(evaluateColumn(e, rows));
    }
  }
  return {
    suite: suite.name,
    policy: suite.policy,
    success: results.every((r) => r.success),
    rows: rows.length,
    results,
  };
}
