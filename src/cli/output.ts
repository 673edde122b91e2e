// Command output: plain-text tables for people and one-line JSON for programs (the last line of stdout).
import { io } from './io.js';

export interface Out {
  line(text?: string): void;
  json(value: unknown): void;
}

/** The running command's stdout (the process's, or a caller's: see io.ts). */
export const stdout: Out = {
  line: (text = '') => io().stdout(`${text}\n`),
  json: (value) => io().stdout(`${JSON.stringify(value)}\n`),
};

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Left-aligned columns, headed by the keys of the first row (or `columns`). */
export function table(rows: readonly Record<string, unknown>[], columns?: readonly string[]): string {
  const cols = columns ?? Object.keys(rows[0] ?? {});
  if (cols.length === 0) return '(no rows)';
  const cells = rows.map((r) => cols.map((c) => cell(r[c])));
  const widths = cols.map((c, i) => Math.min(40, Math.max(c.length, ...cells.map((row) => row[i]!.length))));
  const fmt = (values: readonly string[]) =>
    values
      .map((v, i) => (v.length > widths[i]! ? `${v.slice(0, widths[i]! - 1)}…` : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(cols), fmt(widths.map((w) => '-'.repeat(w))), ...cells.map(fmt)].join('\n');
}
