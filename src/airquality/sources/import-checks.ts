// Row checks shared by the file importers: each bad row is named by file, line and column, and bad rows are counted by reason.
import { basename } from 'node:path';
import { ValidationError } from '../../core/errors.js';
import { printable } from '../../core/printable.js';

/** Why a row was refused (the keys of the counts in summaries and --json). */
export type BadReason = 'field_count' | 'station' | 'duplicate' | 'date' | 'hour' | 'value';

const REASON_TEXT: Record<BadReason, string> = {
  field_count: 'wrong number of fields',
  station: 'another station',
  duplicate: 'duplicated timestamp',
  date: 'bad date',
  hour: 'bad hour',
  value: 'impossible value',
};

/** How many bad rows a refusal quotes; the others are counted. */
export const QUOTED_ROWS = 10;

export interface BadRow {
  file: string;
  line: number;
  column: string | null;
  reason: BadReason;
  message: string;
}

/** A raw field quoted in a message: escaped and short (a file is untrusted input). */
export const quote = (raw: string): string => JSON.stringify(printable(raw, 40));

/** The bad rows of one import, over all its files: the first few in full, all of them counted. */
export class BadRows {
  readonly quoted: BadRow[] = [];
  readonly byReason: Partial<Record<BadReason, number>> = {};
  count = 0;

  add(file: string, line: number, column: string | null, reason: BadReason, what: string): void {
    this.count++;
    this.byReason[reason] = (this.byReason[reason] ?? 0) + 1;
    if (this.quoted.length >= QUOTED_ROWS) return;
    const where = `${basename(file)} line ${line}${column === null ? '' : `, column ${JSON.stringify(column)}`}`;
    this.quoted.push({ file: basename(file), line, column, reason, message: `${where}: ${what}` });
  }

  /** "2 bad hour, 1 wrong number of fields". */
  reasons(): string {
    return Object.entries(this.byReason)
      .map(([r, n]) => `${n} ${REASON_TEXT[r as BadReason]}`)
      .join(', ');
  }

  /** For summaries: the count, by reason. */
  summary(): { total: number; by_reason: Partial<Record<BadReason, number>> } {
    return { total: this.count, by_reason: { ...this.byReason } };
  }

  /** Throws a BadRowsError when there is any bad row. */
  refuse(): void {
    if (this.count > 0) throw new BadRowsError(this);
  }
}

/**
 * A file refused for its bad rows; nothing was written. The first line of the message names the first bad row
 * (file, line, column); the next lines quote up to QUOTED_ROWS - 1 more.
 */
export class BadRowsError extends ValidationError {
  readonly badRows: BadRows;
  constructor(bad: BadRows) {
    const [first, ...more] = bad.quoted;
    const rows = bad.count === 1 ? '1 bad row' : `${bad.count} bad rows`;
    const head = `${first!.message} — refused, nothing was written: ${rows} (${bad.reasons()}); fix the file, or pass --skip-bad-rows to import the good rows and skip the bad ones`;
    const unquoted = bad.count - bad.quoted.length;
    const tail = [...more.map((r) => r.message), ...(unquoted > 0 ? [`… and ${unquoted} more bad rows`] : [])];
    super([head, ...tail].join('\n'), { bad_rows: bad.summary(), first: bad.quoted });
    this.badRows = bad;
  }
}

/** Years a row may have: 1970 to next year (a later or earlier year is a typo or garbage). */
export function yearRange(): { min: number; max: number } {
  return { min: 1970, max: new Date().getUTCFullYear() + 1 };
}

const DIGITS = /^\d{1,4}$/;

/** Why year-month-day is not a date airq takes, or null when it is one. */
export function dateProblem(year: string, month: string, day: string): { column: 'year' | 'month' | 'day'; what: string } | null {
  const { min, max } = yearRange();
  const y = DIGITS.test(year) ? Number(year) : NaN;
  if (!(y >= min && y <= max)) return { column: 'year', what: `${quote(year)} is not a year from ${min} to ${max}` };
  const m = DIGITS.test(month) ? Number(month) : NaN;
  if (!(m >= 1 && m <= 12)) return { column: 'month', what: `${quote(month)} is not a month (1-12)` };
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const d = DIGITS.test(day) ? Number(day) : NaN;
  if (!(d >= 1 && d <= last)) return { column: 'day', what: `${quote(day)} is not a day of ${year}-${String(m).padStart(2, '0')} (1-${last})` };
  return null;
}

/** The hour 0-23 written as a whole number, or null. */
export function hourOf(raw: string): number | null {
  if (!/^\d{1,2}$/.test(raw)) return null;
  const h = Number(raw);
  return h <= 23 ? h : null;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A measured value's allowed range, with its unit for messages. */
export interface Bounds {
  min: number;
  max: number;
  unit: string;
}

/** How a file format writes a missing value: a test, and words for messages ("NA or blank"). */
export interface Missing {
  test: (raw: string) => boolean;
  text: string;
}

/** A value read as a number within bounds: the number, null when missing, or the problem. */
export function measure(raw: string, bounds: Bounds, missing: Missing): { value: number | null } | { problem: string } {
  if (missing.test(raw)) return { value: null };
  if (!NUMBER.test(raw)) return { problem: `${quote(raw)} is not a number (a missing value is ${missing.text})` };
  const x = Number(raw);
  if (x < bounds.min || x > bounds.max) {
    return { problem: `${raw} is outside ${bounds.min} to ${bounds.max}${bounds.unit ? ` ${bounds.unit}` : ''} (impossible here)` };
  }
  return { value: x };
}
