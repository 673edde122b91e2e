// A CSV file as a numeric table for `bench gbdt --csv FILE --label COL`: a header row, comma-separated numbers, empty or
// NA cells missing (NaN); columns holding other text are left out; rows stay in file order. Plain or gzipped.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { UsageError } from '../src/core/errors.js';
import type { Table } from './gbdt.js';

const MISSING = new Set(['', 'NA', 'NaN', 'nan', 'null', 'NULL']);

function cellValue(text: string): number | undefined {
  const t = text.trim().replace(/^"(.*)"$/, '$1');
  if (MISSING.has(t)) return NaN;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

export function csvTable(file: string, label: string): Table {
  if (!existsSync(file)) throw new UsageError(`bench gbdt: no file ${file} (--csv takes a CSV file with a header row)`);
  const bytes = readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]?.split(',').map((h) => h.trim().replace(/^"(.*)"$/, '$1')) ?? [];
  const labelAt = header.indexOf(label);
  if (labelAt < 0) throw new UsageError(`bench gbdt: ${file} has no column "${label}"; its columns: ${header.join(', ')}`);
  const cells = lines.slice(1).map((l) => l.split(','));
  const numeric = header.map((_, c) => cells.every((r) => r[c] !== undefined && cellValue(r[c]!) !== undefined));
  if (!numeric[labelAt]) throw new UsageError(`bench gbdt: the label column "${label}" of ${file} holds text that is not a number`);
  // Rows without a label teach nothing and cannot be scored: left out, as XGBoost and LightGBM require.
  const rows = cells.filter((r) => Number.isFinite(cellValue(r[labelAt]!)));
  const inputs = header.flatMap((name, c) => (c !== labelAt && numeric[c] ? [{ name, c }] : []));
  if (inputs.length === 0 || rows.length < 10) throw new UsageError(`bench gbdt: ${file} needs numeric input columns and at least 10 labelled rows`);
  const data = new Float64Array(rows.length * inputs.length);
  rows.forEach((r, i) => inputs.forEach((f, j) => (data[i * inputs.length + j] = cellValue(r[f.c]!)!)));
  return {
    names: inputs.map((f) => f.name),
    x: { rows: rows.length, cols: inputs.length, data },
    y: Float64Array.from(rows, (r) => cellValue(r[labelAt]!)!),
  };
}
