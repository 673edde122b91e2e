// Descriptive statistics of feature columns, computed in DuckDB: per commit and on demand.
import type { Params, ResultRow } from './db/database.js';
import { textStatistics } from '../core/config.js';
import { ident } from './db/values.js';
import type { FeatureSpec, FeatureType } from './types.js';

export const HISTOGRAM_BINS = 10;

export interface ColumnStatistics {
  column: string;
  type: FeatureType;
  count: number;
  nullCount: number;
  /** Null for text columns unless AIRQ_TEXT_STATISTICS=1 (they may hold what people wrote). */
  min: number | string | boolean | null;
  max: number | string | boolean | null;
  /** Numeric columns only. */
  mean?: number | null;
  stddev?: number | null;
  /** HyperLogLog estimate (DuckDB's approx_count_distinct). */
  approxDistinct: number;
  /** Numeric columns with at least two distinct values: equal-width bins from min to max. */
  histogram?: { binEdges: number[]; counts: number[] };
}

export interface Statistics {
  rowCount: number;
  columns: ColumnStatistics[];
}

type Query = (sql: string, params?: Params) => Promise<ResultRow[]>;

const isNumeric = (t: FeatureType) => t === 'int' || t === 'float';

function num(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

/**
 * Statistics of the rows that `from` selects (a FROM clause plus WHERE, with its own params).
 * Two scans: scalar aggregates, then histograms over the bounds the first scan found.
 */
export async function computeStatistics(query: Query, schema: FeatureSpec[], from: string, params: Params = []): Promise<Statistics> {
  const aggs = ['count(*) AS n'];
  const showText = textStatistics();
  schema.forEach((f, i) => {
    const c = ident(f.name);
    // A vector's min, max and distinct count mean nothing (and cost a lot): only how many are present.
    if (f.type === 'vector') aggs.push(`count(${c}) AS c${i}`, `NULL AS lo${i}`, `NULL AS hi${i}`, `NULL AS d${i}`);
    // A text column's extremes are values someone wrote (a question in `traces`): only its counts, unless the operator opts in.
    else if (f.type === 'string' && !showText) aggs.push(`count(${c}) AS c${i}`, `NULL AS lo${i}`, `NULL AS hi${i}`, `approx_count_distinct(${c}) AS d${i}`);
    else aggs.push(`count(${c}) AS c${i}`, `min(${c}) AS lo${i}`, `max(${c}) AS hi${i}`, `approx_count_distinct(${c}) AS d${i}`);
    if (isNumeric(f.type)) aggs.push(`avg(${c}) AS m${i}`, `stddev_samp(${c}) AS s${i}`);
  });
  const [r = {}] = await query(`SELECT ${aggs.join(', ')} ${from}`, params);
  const rowCount = Number(r.n ?? 0);
  const columns: ColumnStatistics[] = schema.map((f, i) => {
    const count = Number(r[`c${i}`] ?? 0);
    const stats: ColumnStatistics = {
      column: f.name,
      type: f.type,
      count,
      nullCount: rowCount - count,
      min: (r[`lo${i}`] ?? null) as ColumnStatistics['min'],
      max: (r[`hi${i}`] ?? null) as ColumnStatistics['max'],
      approxDistinct: Number(r[`d${i}`] ?? 0),
    };
    if (isNumeric(f.type)) {
      stats.mean = num(r[`m${i}`]);
      stats.stddev = num(r[`s${i}`]);
    }
    return stats;
  });
  await addHistograms(query, schema, columns, from, params);
  return { rowCount, columns };
}

async function addHistograms(query: Query, schema: FeatureSpec[], columns: ColumnStatistics[], from: string, params: Params): Promise<void> {
  const wanted = columns
    .map((s, i) => ({ s, i, f: schema[i]! }))
    .filter(({ s, f }) => isNumeric(f.type) && s.min !== null && s.max !== null && Number(s.max) > Number(s.min));
  if (wanted.length === 0) return;
  const exprs = wanted.map(({ s, i, f }) => {
    const lo = Number(s.min);
    const width = (Number(s.max) - lo) / HISTOGRAM_BINS;
    // Bounds come from our own first scan (numbers), so inlining them as literals is safe. The FILTER
    // matters: least() skips NULLs, so without it every missing value would land in the top bin.
    const c = ident(f.name);
    return `histogram(least(floor((${c} - ${lo}) / ${width}), ${HISTOGRAM_BINS - 1})::INTEGER) FILTER (WHERE ${c} IS NOT NULL) AS h${i}`;
  });
  const [r = {}] = await query(`SELECT ${exprs.join(', ')} ${from}`, params);
  for (const { s, i } of wanted) {
    const lo = Number(s.min);
    const width = (Number(s.max) - lo) / HISTOGRAM_BINS;
    const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
    for (const e of (r[`h${i}`] ?? []) as { key: number | null; value: number }[]) {
      if (e.key !== null) counts[e.key] = Number(e.value);
    }
    const binEdges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, b) => (b === HISTOGRAM_BINS ? Number(s.max) : lo + b * width));
    s.histogram = { binEdges, counts };
  }
}
