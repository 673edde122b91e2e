// Typed filters as plain data (col('pm25').gt(35).and(...)), compiled to SQL with bound parameters only.
import { z } from 'zod';
import { ValidationError } from '../../core/errors.js';
import { INVALID, normalizeValue } from '../schema.js';
import type { FeatureType, FeatureValue, InputValue } from '../types.js';
import type { Params } from '../db/database.js';
import { toDuckValue } from '../db/values.js';

const OPS = ['=', '!=', '<', '<=', '>', '>='] as const;
type Op = (typeof OPS)[number];
const ScalarInput = z.union([z.string(), z.number(), z.boolean()]);

export type Filter =
  | { kind: 'cmp'; column: string; op: Op; value: string | number | boolean }
  | { kind: 'in'; column: string; values: (string | number | boolean)[] }
  | { kind: 'null'; column: string; isNull: boolean }
  | { kind: 'and' | 'or'; filters: Filter[] }
  | { kind: 'not'; filter: Filter };

/** The zod schema of a filter, for filters that arrive from outside (files, tool arguments). */
export const FilterSchema: z.ZodType<Filter> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('cmp'), column: z.string(), op: z.enum(OPS), value: ScalarInput }).strict(),
    z.object({ kind: z.literal('in'), column: z.string(), values: z.array(ScalarInput).min(1).max(10_000) }).strict(),
    z.object({ kind: z.literal('null'), column: z.string(), isNull: z.boolean() }).strict(),
    z.object({ kind: z.enum(['and', 'or']), filters: z.array(FilterSchema).min(1).max(100) }).strict(),
    z.object({ kind: z.literal('not'), filter: FilterSchema }).strict(),
  ]),
);

type Scalar = string | number | boolean | Date;
const plain = (v: Scalar): string | number | boolean => (v instanceof Date ? v.toISOString() : v);

/** A column reference that builds filters: `col('pm25').gt(35)`. */
export class Col {
  constructor(readonly name: string) {}
  private cmp(op: Op, value: Scalar): Filter {
    return { kind: 'cmp', column: this.name, op, value: plain(value) };
  }
  eq = (v: Scalar) => this.cmp('=', v);
  ne = (v: Scalar) => this.cmp('!=', v);
  lt = (v: Scalar) => this.cmp('<', v);
  le = (v: Scalar) => this.cmp('<=', v);
  gt = (v: Scalar) => this.cmp('>', v);
  ge = (v: Scalar) => this.cmp('>=', v);
  /** Inclusive on both ends. */
  between = (lo: Scalar, hi: Scalar): Filter => and(this.ge(lo), this.le(hi));
  isIn = (values: Scalar[]): Filter => ({ kind: 'in', column: this.name, values: values.map(plain) });
  isNull = (): Filter => ({ kind: 'null', column: this.name, isNull: true });
  notNull = (): Filter => ({ kind: 'null', column: this.name, isNull: false });
}

export const col = (name: string): Col => new Col(name);
export const and = (...filters: Filter[]): Filter => ({ kind: 'and', filters });
export const or = (...filters: Filter[]): Filter => ({ kind: 'or', filters });
export const not = (filter: Filter): Filter => ({ kind: 'not', filter });

/** Maps a column name to its SQL expression and type; throws for unknown names. */
export type ColumnResolver = (name: string) => { sql: string; type: FeatureType };

function bind(params: Params, column: string, type: FeatureType, v: InputValue): string {
  const value: FeatureValue | typeof INVALID = normalizeValue(type, v);
  if (value === INVALID || value === null) {
    throw new ValidationError(`filter on "${column}" (${type}) cannot compare with ${JSON.stringify(v)}`, {
      column,
    });
  }
  // The driver binds a whole number as an integer, and one past ±2^63 (1e20, 1e308) fails to bind at all: such a float
  // goes as its text, cast to DOUBLE (the shortest text of a double reads back as the same double).
  if (type === 'float' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    params.push(String(value));
    return `CAST($${params.length} AS DOUBLE)`;
  }
  params.push(toDuckValue(type, value));
  return `$${params.length}`;
}

/** SQL for `f`, pushing each value onto `params`. */
export function compileFilter(f: Filter, resolve: ColumnResolver, params: Params): string {
  switch (f.kind) {
    case 'cmp': {
      const c = resolve(f.column);
      return `(${c.sql} ${f.op === '!=' ? '<>' : f.op} ${bind(params, f.column, c.type, f.value)})`;
    }
    case 'in': {
      const c = resolve(f.column);
      return `(${c.sql} IN (${f.values.map((v) => bind(params, f.column, c.type, v)).join(', ')}))`;
    }
    case 'null':
      return `(${resolve(f.column).sql} IS ${f.isNull ? '' : 'NOT '}NULL)`;
    case 'and':
    case 'or':
      return `(${f.filters.map((g) => compileFilter(g, resolve, params)).join(f.kind === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `(NOT ${compileFilter(f.filter, resolve, params)})`;
  }
}

export function filterColumns(f: Filter): string[] {
  switch (f.kind) {
    case 'and':
    case 'or':
      return f.filters.flatMap(filterColumns);
    case 'not':
      return filterColumns(f.filter);
    default:
      return [f.column];
  }
}
