// Expectation suites (Great Expectations style, as Hopsworks attaches them to feature groups): their zod schema.
import { z } from 'zod';
import { FEATURE_TYPES } from '../feature-types.js';

const Column = z.string().min(1).max(63);
/** Fraction of non-null values that must pass (1 = all). */
const Mostly = z.number().gt(0).max(1).optional();
const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const Bound = z.union([z.number(), z.string()]);

export const ExpectationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('notNull'), column: Column, mostly: Mostly }).strict(),
  z
    .object({ kind: z.literal('valuesBetween'), column: Column, min: Bound.optional(), max: Bound.optional(), mostly: Mostly })
    .strict()
    .refine((e) => e.min !== undefined || e.max !== undefined, 'valuesBetween needs min, max or both'),
  z.object({ kind: z.literal('valuesInSet'), column: Column, values: z.array(Scalar).min(1).max(10_000), mostly: Mostly }).strict(),
  z.object({ kind: z.literal('unique'), columns: z.array(Column).min(1).max(16) }).strict(),
  z
    .object({
      kind: z.literal('valuesOfType'),
      column: Column,
      type: z.enum(FEATURE_TYPES),
      mostly: Mostly,
    })
    .strict(),
  z.object({ kind: z.literal('valuesMatchRegex'), column: Column, pattern: z.string().min(1).max(1000), mostly: Mostly }).strict(),
  z
    .object({ kind: z.literal('rowCountBetween'), min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() })
    .strict()
    .refine((e) => e.min !== undefined || e.max !== undefined, 'rowCountBetween needs min, max or both'),
]);
export type Expectation = z.infer<typeof ExpectationSchema>;

/** STRICT: a failed expectation rejects the whole insert. ALWAYS: write anyway and record the failures. */
export const ValidationPolicySchema = z.enum(['STRICT', 'ALWAYS']);
export type ValidationPolicy = z.infer<typeof ValidationPolicySchema>;

export const ExpectationSuiteSchema = z
  .object({
    name: z.string().min(1).max(200).default('default'),
    policy: ValidationPolicySchema.default('STRICT'),
    expectations: z.array(ExpectationSchema).max(500),
  })
  .strict();
export type ExpectationSuite = z.output<typeof ExpectationSuiteSchema>;
export type ExpectationSuiteInput = z.input<typeof ExpectationSuiteSchema>;

export interface ExpectationResult {
  expectation: Expectation;
  success: boolean;
  /** Values checked (non-null values for value expectations, rows for row counts). */
  elementCount: number;
  unexpectedCount: number;
  unexpectedPercent: number;
  /** Up to five offending rows (0-based index in the batch) with their values. */
  sample: { row: number; value: unknown }[];
}

export interface ValidationReport {
  suite: string;
  policy: ValidationPolicy;
  success: boolean;
  rows: number;
  results: ExpectationResult[];
}

export function expectationColumns(e: Expectation): string[] {
  if (e.kind === 'rowCountBetween') return [];
  if (e.kind === 'unique') return e.columns;
  return [e.column];
}

export function describeExpectation(e: Expectation): string {
  switch (e.kind) {
    case 'notNull':
      return `${e.column} is not null`;
    case 'valuesBetween':
      return `${e.column} between ${e.min ?? '-inf'} and ${e.max ?? '+inf'}`;
    case 'valuesInSet':
      return `${e.column} in {${e.values.slice(0, 8).join(', ')}${e.values.length > 8 ? ', ...' : ''}}`;
    case 'unique':
      return `(${e.columns.join(', ')}) unique`;
    case 'valuesOfType':
      return `${e.column} is of type ${e.type}`;
    case 'valuesMatchRegex':
      return `${e.column} matches /${e.pattern}/`;
    case 'rowCountBetween':
      return `row count between ${e.min ?? 0} and ${e.max ?? 'inf'}`;
  }
}
