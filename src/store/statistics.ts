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
 * Two scans: counts and bounds, then means, standard deviations and histograms over the bounds the first scan found.
 */
export async function computeStatistics(query: Query, schema: FeatureSpec[], from: string, params: Params = []): Promise<Statistics> {
  const aggs = ['count(*) AS n'];
  const showText = textStatistics();
  schema.forEach((f, i) => {
    const c = ident(f.name);
    // A vector's min, max and distinct count mean nothing (and cost a lot): only how many are present.
    if (f.type === 'vector') aggs.push(`count(${c}) AS c${i}`, `NULL AS lo${i}`, `NULL AS hi${i}`, `NULL AS d${i}`);
    else {
      // A text column's extremes are values someone wrote (a question in `traces`): only its counts, unless the operator opts in.
      const hidden = f.type === 'string' && !showText;
      aggs.push(
        `count(${c}) AS c${i}`,
        hidden ? `NULL AS lo${i}` : `min(${c}) AS lo${i}`,
        hidden ? `NULL AS hi${i}` : `max(${c}) AS hi${i}`,
        `approx_count_distinct(${c}) AS d${i}`,
      );
    }
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
      stats.mean = null;
      stats.stddev = null;
    }
    return stats;
  });
  await addMomentsAndHistograms(query, schema, columns, from, params);
  return { rowCount, columns };
}

/**
 * The power of two that brings a column's values near 1 when they are huge, else 1: DuckDB's sum and stddev_samp overflow
 * past about 1e154 (stddev_samp then throws "out of range"), but any finite float is a valid value. Dividing by a power of
 * two is exact, so ordinary columns get the very same figures.
 */
function scaleExponent(s: ColumnStatistics): number {
  const big = Math.max(Math.abs(Number(s.min)), Math.abs(Number(s.max)));
  return big > 2 ** 500 ? Math.min(1000, Math.ceil(Math.log2(big))) : 0;
}

async function addMomentsAndHistograms(query: Query, schema: FeatureSpec[], columns: ColumnStatistics[], from: string, params: Params): Promise<void> {
  const numeric = columns.map((s, i) => ({ s, i, f: schema[i]! })).filter(({ s, f }) => isNumeric(f.type) && s.count > 0);
  if (numeric.length === 0) return;
  const exprs = numeric.map(({ s, i, f }) => {
    const k = scaleExponent(s);
    const c = k === 0 ? ident(f.name) : `(${ident(f.name)} / pow(2.0, ${k}))`;
    const back = k === 0 ? '' : ` * pow(2.0, ${k})`;
    return `avg(${c})${back} AS m${i}, stddev_samp(${c})${back} AS s${i}`;
  });
  const wanted = numeric.filter(({ s }) => s.min !== null && s.max !== null && Number(s.max) > Number(s.min));
  for (const { s, i, f } of wanted) {
    const lo = Number(s.min);
    // Bounds come from our own first scan (numbers), so inlining them as literals is safe. The FILTER
    // matters: least() skips NULLs, so without it every missing value would land in the top bin.
    const c = ident(f.name);
    exprs.push(`histogram(least(floor((${c} - ${lo}) / ${binWidth(s)}), ${HISTOGRAM_BINS - 1})::INTEGER) FILTER (WHERE ${c} IS NOT NULL) AS h${i}`);
  }
  const [r = {}] = await query(`SELECT ${exprs.join(', ')} ${from}`, params);
  for (const { s, i } of numeric) {
    s.mean = num(r[`m${i}`]);
    s.stddev = num(r[`s${i}`]);
  }
  for (const { s, i } of wanted) {
    const lo = Number(s.min);
    const width = binWidth(s);
    const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
    for (const e of (r[`h${i}`] ?? []) as { key: number | null; value: number }[]) {
      if (e.key !== null) counts[e.key] = Number(e.value);
    }
    const binEdges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, b) => (b === HISTOGRAM_BINS ? Number(s.max) : edge(lo, width, b, Number(s.max))));
    s.histogram = { binEdges, counts };
  }
}

/** The lower edge of bin `b`; past the doubles' range (-1e308 to 1e308) as a weighted mean of the bounds instead. */
function edge(lo: number, width: number, b: number, hi: number): number {
  const e = lo + b * width;
  return Number.isFinite(e) ? e : lo * (1 - b / HISTOGRAM_BINS) + hi * (b / HISTOGRAM_BINS);
}

/** A tenth of max - min, finite even when max - min is not (-1e308 to 1e308). */
function binWidth(s: ColumnStatistics): number {
  const lo = Number(s.min);
  const hi = Number(s.max);
  const width = (hi - lo) / HISTOGRAM_BINS;
  return Number.isFinite(width) ? width : hi / HISTOGRAM_BINS - lo / HISTOGRAM_BINS;
}
