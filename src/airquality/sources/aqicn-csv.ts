// aqicn.org's "Download this data" CSV exports, in both header styles, checked row by row and converted from AQI to µg/m³.
//
// aqicn publishes pollutant values as US-EPA AQI sub-indices, not concentrations, in both styles:
//   - `date, pm25, pm10, no2` with dates like 2025/7/1 (blanks are missing; rows unsorted);
//   - `date,min,max,pm25,q1,q3,stdev,count` with ISO timestamps (daily statistics; the median is in pm25).
// Values are converted with EPA's 2012 breakpoint table, the one aqicn's history was computed with.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ValidationError } from '../../core/errors.js';
import { aqiToConcentration } from '../features/aqi.js';
import { BadRows, dateProblem, measure, quote, type Bounds, type Missing } from './import-checks.js';

export interface AqicnDay {
  date: string;
  pm25: number | null;
  /** Only in the statistics style: the day's maximum PM2.5 (µg/m³). */
  pm25Max: number | null;
  pm10: number | null;
  no2: number | null;
}

const MISSING: Missing = { test: (s) => s === '', text: 'blank' };
/** AQI sub-indices run 0-500 on EPA's scale; aqicn's daily maxima go past it (1177.8 in the Hell's Kitchen export). Statistics columns are counts and spreads. */
const AQI: Bounds = { min: 0, max: 10_000, unit: 'AQI' };
const OTHER: Bounds = { min: 0, max: 1e9, unit: '' };
const AQI_COLUMNS = new Set(['pm25', 'pm10', 'no2', 'min', 'max', 'q1', 'q3', 'median']);
/** The store refuses a daily PM2.5 over this (µg/m³), so a higher one is refused here, at its line. */
const PM25_MAX = 1000;

/** The date of a `2025/7/1` or ISO (`2019-07-12`, `2019-07-12T00:00:00.000Z`) field, or the problem with it. */
function dateOf(raw: string): { date: string } | { column: string; what: string } {
  const m =
    /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(raw) ?? /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(raw);
  if (!m) return { column: 'date', what: `cannot read the date ${quote(raw)} (YYYY/M/D or YYYY-MM-DD)` };
  const problem = dateProblem(m[1]!, m[2]!, m[3]!);
  if (problem) return { column: 'date', what: `cannot read the date ${quote(raw)}: its ${problem.column} ${problem.what}` };
  return { date: `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` };
}

function textOf(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new ValidationError(`cannot read ${file}; give the CSV file that aqicn.org's "Download this data" produced`);
  }
}

/** One data line as a day, or undefined after recording why it is bad. `seen` maps a date to its first line. */
function parseLine(v: string[], lineNo: number, header: string[], file: string, bad: BadRows, seen: Map<string, number>): AqicnDay | undefined {
  if (v.length !== header.length) return void bad.add(file, lineNo, null, 'field_count', `${v.length} fields, the header has ${header.length}`);
  const d = dateOf(v[header.indexOf('date')]!);
  if ('what' in d) return void bad.add(file, lineNo, d.column, 'date', d.what);
  const aqi: Record<string, number | null> = {};
  for (const [i, column] of header.entries()) {
    if (column === 'date') continue;
    const m = measure(v[i]!, AQI_COLUMNS.has(column) ? AQI : OTHER, MISSING);
    if ('problem' in m) return void bad.add(file, lineNo, column, 'value', m.problem);
    aqi[column] = m.value;
  }
  const convert = (c: string, pollutant: 'pm25' | 'pm10' | 'no2') => {
    const a = aqi[c];
    return a === undefined || a === null ? null : aqiToConcentration(a, pollutant, '2012');
  };
  const day = { date: d.date, pm25: convert('pm25', 'pm25'), pm25Max: convert('max', 'pm25'), pm10: convert('pm10', 'pm10'), no2: convert('no2', 'no2') };
  if ((day.pm25 ?? 0) > PM25_MAX)
    return void bad.add(file, lineNo, 'pm25', 'value', `AQI ${aqi.pm25} is ${day.pm25} µg/m³, over ${PM25_MAX} (impossible here)`);
  const first = seen.get(day.date);
  if (first !== undefined) return void bad.add(file, lineNo, 'date', 'duplicate', `${day.date} again (first at line ${first})`);
  seen.set(day.date, lineNo);
  return day;
}

/**
 * Reads an export (either style) into daily µg/m³ values, sorted by date. Each bad line (field count, date,
 * value, a date given twice: the first is kept) goes to `bad` and is left out; without `bad`, any bad line is an
 * error that names the file, line and column.
 */
export function readAqicnCsv(file: string, bad?: BadRows): AqicnDay[] {
  const problems = bad ?? new BadRows();
  const lines = textOf(file).split(/\r?\n/);
  const header = (lines[0] ?? '')
    .replace(/^\uFEFF/, '')
    .split(',')
    .map((h) => h.trim().toLowerCase());
  if (!header.includes('date') || !header.includes('pm25') || new Set(header).size !== header.length) {
    throw new ValidationError(
      `${basename(file)}: not an aqicn export; expected a header with date and pm25, each column once (got: ${header.slice(0, 10).map(quote).join(', ')})`,
    );
  }
  const seen = new Map<string, number>();
  const days: AqicnDay[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.trim().length === 0) continue;
    const day = parseLine(
      lines[i]!.split(',').map((x) => x.trim()),
      i + 1,
      header,
      file,
      problems,
      seen,
    );
    if (day) days.push(day);
  }
  if (!bad) problems.refuse();
  return days.sort((a, b) => (a.date < b.date ? -1 : 1));
}
