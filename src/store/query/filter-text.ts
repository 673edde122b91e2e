// Filters and orders written as short text (`pm25 > 100`, `station in (A,B)`, `date:desc`) parsed into Filter data: never pasted into SQL.
import { ValidationError } from '../../core/errors.js';
import type { FeatureType } from '../types.js';
import { and, FilterSchema, type Filter } from './filter.js';

/** The grammar, for error messages and help. */
export const WHERE_GRAMMAR = 'COLUMN OP VALUE (OP: = != < <= > >=), COLUMN [not] in (V1, V2, ...), or COLUMN is [not] null';
const MAX_TEXT = 10_000;

type Value = string | number | boolean;

function columnType(name: string, columns: ReadonlyMap<string, FeatureType>, clause: string): FeatureType {
  const type = columns.get(name);
  if (type === undefined) {
    const known = [...columns.keys()];
    throw new ValidationError(`"${clause}": no column "${name}"; the columns are: ${known.length ? known.join(', ') : '(none yet)'}`);
  }
  if (type === 'vector') throw new ValidationError(`"${clause}": ${name} is a vector column, which cannot be compared`);
  return type;
}

/** A value's text: quoted ('a b' or "a b", the quote doubled inside) or bare (trimmed). */
function unquote(text: string, clause: string): string {
  const t = text.trim();
  const q = t[0];
  if (q !== "'" && q !== '"') {
    if (t === '') throw new ValidationError(`"${clause}": a value is missing`);
    return t;
  }
  if (
    t.length < 2 ||
    t[t.length - 1] !== q ||
    t
      .slice(1, -1)
      .replaceAll(q + q, '')
      .includes(q)
  ) {
    throw new ValidationError(`"${clause}": the value ${t} has an unmatched ${q}`);
  }
  return t.slice(1, -1).replaceAll(q + q, q);
}

/** The value as the column's type: numbers for int and float columns, true/false for bool, text for the rest. */
function typed(text: string, type: FeatureType, column: string, clause: string): Value {
  if (type === 'int' || type === 'float') {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) throw new ValidationError(`"${clause}": ${column} is a number column, and "${text}" is not a number`);
    return n;
  }
  if (type === 'bool') {
    const b = text.toLowerCase();
    if (b !== 'true' && b !== 'false') throw new ValidationError(`"${clause}": ${column} is a true/false column, and "${text}" is neither`);
    return b === 'true';
  }
  return text;
}

/** Splits `a, 'b,c', d` at the commas outside quotes (a doubled quote inside closes and reopens: its commas stay inside). */
function listItems(text: string, clause: string): string[] {
  const items: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const ch of text) {
    if (quote === undefined && ch === ',') {
      items.push(current);
      current = '';
      continue;
    }
    if (ch === quote) quote = undefined;
    else if (quote === undefined && (ch === "'" || ch === '"')) quote = ch;
    current += ch;
  }
  items.push(current);
  return items.map((item) => unquote(item, clause));
}

/** One clause as a filter, its values typed by the column's type. */
export function parseWhereClause(clause: string, columns: ReadonlyMap<string, FeatureType>): Filter {
  if (clause.length > MAX_TEXT) throw new ValidationError(`a filter is at most ${MAX_TEXT} characters`);
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*([\s\S]*)$/.exec(clause);
  const rest = m?.[2] ?? '';
  const isNull = /^is\s+(not\s+)?null\s*$/i.exec(rest);
  const inList = /^(not\s+)?in\s*\(([\s\S]*)\)\s*$/i.exec(rest);
  const cmp = /^(<=|>=|!=|<>|=|<|>)([\s\S]*)$/.exec(rest);
  if (!m || (!isNull && !inList && !cmp)) throw new ValidationError(`"${clause}" is not a filter; write ${WHERE_GRAMMAR}`);
  const column = m[1]!;
  const type = columnType(column, columns, clause);
  let f: Filter;
  if (isNull) f = { kind: 'null', column, isNull: isNull[1] === undefined };
  else if (inList) {
    const values = listItems(inList[2]!, clause).map((v) => typed(v, type, column, clause));
    f = inList[1] === undefined ? { kind: 'in', column, values } : { kind: 'not', filter: { kind: 'in', column, values } };
  } else {
    const op = cmp![1] === '<>' ? '!=' : (cmp![1] as '=' | '!=' | '<' | '<=' | '>' | '>=');
    f = { kind: 'cmp', column, op, value: typed(unquote(cmp![2]!, clause), type, column, clause) };
  }
  const checked = FilterSchema.safeParse(f);
  if (!checked.success) throw new ValidationError(`"${clause}": ${checked.error.issues[0]?.message ?? 'not a filter'}`);
  return checked.data;
}

/** Every clause, ANDed; undefined when there is none. */
export function parseWhere(clauses: readonly string[], columns: ReadonlyMap<string, FeatureType>): Filter | undefined {
  if (clauses.length > 100) throw new ValidationError(`at most 100 filters, got ${clauses.length}`);
  const filters = clauses.map((c) => parseWhereClause(c, columns));
  return filters.length === 0 ? undefined : filters.length === 1 ? filters[0] : and(...filters);
}

export interface OrderTerm {
  column: string;
  direction: 'asc' | 'desc';
}

/** `COL[:asc|desc]` terms, each text holding one or more separated by commas. */
export function parseOrder(texts: readonly string[], columns: ReadonlyMap<string, FeatureType>): OrderTerm[] {
  return texts
    .flatMap((t) => t.split(','))
    .map((term) => {
      const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*(asc|desc)\s*)?$/i.exec(term);
      if (!m) throw new ValidationError(`"${term.trim()}" is not an order; write COLUMN, COLUMN:asc or COLUMN:desc`);
      if (!columns.has(m[1]!)) {
        throw new ValidationError(`"${term.trim()}": no column "${m[1]}"; the columns are: ${[...columns.keys()].join(', ') || '(none yet)'}`);
      }
      return { column: m[1]!, direction: (m[2]?.toLowerCase() ?? 'asc') as 'asc' | 'desc' };
    });
}
