// The UCI Beijing multi-site dataset: one gzip'd (or plain) CSV of hourly rows per station, checked row by row.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ValidationError } from '../../core/errors.js';
import { BadRows, dateProblem, hourOf, measure, quote, type Bounds, type Missing } from './import-checks.js';

/** One hourly row, in local (Beijing) time, with NA read as null. */
export interface BeijingHour {
  station: string;
  /** Local date, YYYY-MM-DD. */
  date: string;
  hour: number;
  pm25: number | null;
  pm10: number | null;
  no2: number | null;
  temp: number | null;
  pres: number | null;
  dewp: number | null;
  rain: number | null;
  wspm: number | null;
  wd: string | null;
}

const REQUIRED = ['year', 'month', 'day', 'hour', 'PM2.5', 'PM10', 'NO2', 'TEMP', 'PRES', 'DEWP', 'RAIN', 'wd', 'WSPM', 'station'];
/** The days the UCI archive covers (it is not updated). */
export const BEIJING_FIRST = '2013-03-01';
export const BEIJING_LAST = '2017-02-28';

export const BEIJING_FILE = /^PRSA_Data_(.+)_\d{8}-\d{8}\.csv(\.gz)?$/;

/** The station a file's name gives (PRSA_Data_<Station>_...), or undefined for another name. */
export function stationInName(file: string): string | undefined {
  return BEIJING_FILE.exec(basename(file))?.[1];
}

/** The station files in `dir` (PRSA_Data_<Station>_<from>-<to>.csv[.gz]), sorted; two files of one station are refused. */
export function beijingFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    throw new ValidationError(`cannot read the directory ${dir}; give the folder that holds the PRSA_Data_*.csv.gz files`);
  }
  const files = entries.filter((f) => BEIJING_FILE.test(f)).sort();
  if (files.length === 0) {
    throw new ValidationError(`no UCI Beijing station files (PRSA_Data_<Station>_....csv.gz) in ${dir}; \`airq download beijing\` fetches them`);
  }
  const seen = new Map<string, string>();
  for (const f of files) {
    const station = stationInName(f)!;
    const other = seen.get(station);
    if (other) throw new ValidationError(`${dir} has two files for the station ${station}: ${other} and ${f}; keep one`);
    seen.set(station, f);
  }
  return files.map((f) => join(dir, f));
}

/** The measured columns: where they go and what is possible (UCI units: µg/m³, °C, hPa, mm, m/s). */
const MEASURES: readonly [column: string, key: keyof BeijingHour | null, bounds: Bounds][] = [
  ['PM2.5', 'pm25', { min: 0, max: 1000, unit: 'µg/m³' }], // the store refuses a daily mean over 1000
  ['PM10', 'pm10', { min: 0, max: 2000, unit: 'µg/m³' }],
  ['SO2', null, { min: 0, max: 2000, unit: 'µg/m³' }],
  ['NO2', 'no2', { min: 0, max: 2000, unit: 'µg/m³' }],
  ['CO', null, { min: 0, max: 100_000, unit: 'µg/m³' }],
  ['O3', null, { min: 0, max: 2000, unit: 'µg/m³' }],
  ['TEMP', 'temp', { min: -60, max: 60, unit: '°C' }],
  ['PRES', 'pres', { min: 800, max: 1100, unit: 'hPa' }],
  ['DEWP', 'dewp', { min: -80, max: 50, unit: '°C' }],
  ['RAIN', 'rain', { min: 0, max: 500, unit: 'mm' }],
  ['WSPM', 'wspm', { min: 0, max: 100, unit: 'm/s' }],
];
const COMPASS = new Set(['N', 'NNE', 'NE', 'ENE', 'E', 'ESE', 'SE', 'SSE', 'S', 'SSW', 'SW', 'WSW', 'W', 'WNW', 'NW', 'NNW']);
const MISSING: Missing = { test: (s) => s === 'NA' || s === '', text: 'NA or blank' };

function fileText(file: string): string {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    throw new ValidationError(`cannot read ${file}`);
  }
  try {
    return (file.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
  } catch {
    throw new ValidationError(`${basename(file)}: not a gzip file (its name ends in .gz); give the file as downloaded, or unpacked and named .csv`);
  }
}

const unquote = (s: string) => (s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s);
const pad = (n: number) => String(n).padStart(2, '0');

/** One header's positions of the columns read, with the file's name and its station. */
interface Layout {
  file: string;
  width: number;
  at: Record<string, number>;
  station: string | undefined;
}

function layoutOf(file: string, headerLine: string): Layout {
  const header = headerLine
    .replace(/^\uFEFF/, '')
    .split(',')
    .map((h) => unquote(h.trim()));
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new ValidationError(`${basename(file)}: not a UCI Beijing file; missing columns ${missing.join(', ')}`);
  const at: Record<string, number> = {};
  for (const c of [...REQUIRED, ...MEASURES.map((m) => m[0])]) if (header.includes(c)) at[c] = header.indexOf(c);
  return { file, width: header.length, at, station: stationInName(file) };
}

/** One data line as an hour, or undefined after recording why it is bad. `seen` maps date+hour to its first line. */
function parseLine(v: string[], lineNo: number, l: Layout, bad: BadRows, seen: Map<string, number>): BeijingHour | undefined {
  const { at, file } = l;
  if (v.length !== l.width) return void bad.add(file, lineNo, null, 'field_count', `${v.length} fields, the header has ${l.width}`);
  const station = v[at.station!]!;
  l.station ??= station;
  if (station !== l.station) {
    return void bad.add(file, lineNo, 'station', 'station', `${quote(station)} is not this file's station (${l.station}, as its name says)`);
  }
  const dp = dateProblem(v[at.year!]!, v[at.month!]!, v[at.day!]!);
  if (dp) return void bad.add(file, lineNo, dp.column, 'date', dp.what);
  const hour = hourOf(v[at.hour!]!);
  if (hour === null) return void bad.add(file, lineNo, 'hour', 'hour', `${quote(v[at.hour!]!)} is not an hour (0-23)`);
  const date = `${v[at.year!]}-${pad(Number(v[at.month!]))}-${pad(Number(v[at.day!]))}`;
  const value: Partial<Record<keyof BeijingHour, number | null>> = {};
  for (const [column, key, bounds] of MEASURES) {
    if (at[column] === undefined) continue;
    const m = measure(v[at[column]]!, bounds, MISSING);
    if ('problem' in m) return void bad.add(file, lineNo, column, 'value', m.problem);
    if (key) value[key] = m.value;
  }
  const wd = v[at.wd!]!;
  if (!MISSING.test(wd) && !COMPASS.has(wd)) return void bad.add(file, lineNo, 'wd', 'value', `${quote(wd)} is not a compass direction (N, NNE, ... NNW)`);
  const out: BeijingHour = {
    station,
    date,
    hour,
    pm25: value.pm25 ?? null,
    pm10: value.pm10 ?? null,
    no2: value.no2 ?? null,
    temp: value.temp ?? null,
    pres: value.pres ?? null,
    dewp: value.dewp ?? null,
    rain: value.rain ?? null,
    wspm: value.wspm ?? null,
    wd: MISSING.test(wd) ? null : wd,
  };
  const key = `${out.date} ${hour}`;
  const first = seen.get(key);
  if (first !== undefined) return void bad.add(file, lineNo, 'hour', 'duplicate', `${out.date} hour ${hour} again (first at line ${first})`);
  seen.set(key, lineNo);
  return out;
}

/** The local date of a line from its first fields when they are plain numbers (cheap), else undefined. */
function quickDate(line: string, l: Layout): string | undefined {
  const head = line.split(',', Math.max(l.at.year!, l.at.month!, l.at.day!) + 1).map(unquote);
  const [y, m, d] = [head[l.at.year!], head[l.at.month!], head[l.at.day!]];
  if (!y || !m || !d || !/^\d{4}$/.test(y) || !/^\d{1,2}$/.test(m) || !/^\d{1,2}$/.test(d)) return undefined;
  return `${y}-${pad(Number(m))}-${pad(Number(d))}`;
}

/**
 * Reads one station file, optionally only the local dates in [from, to] (a cheap test on the date fields skips the
 * lines outside, so a daily run does not check four years). Each bad line (field count, station, date, hour,
 * value, a date and hour given twice: the first is kept) goes to `bad` and is left out; without `bad`, any bad
 * line is an error that names the file, line and column.
 */
export function readBeijingStation(file: string, range: { from?: string; to?: string } = {}, bad?: BadRows): BeijingHour[] {
  const problems = bad ?? new BadRows();
  const lines = fileText(file).split(/\r?\n/);
  const layout = layoutOf(file, lines[0] ?? '');
  const ranged = range.from !== undefined || range.to !== undefined;
  const seen = new Map<string, number>();
  const out: BeijingHour[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length === 0) continue;
    if (ranged) {
      const date = quickDate(line, layout);
      if (date !== undefined && ((range.from !== undefined && date < range.from) || (range.to !== undefined && date > range.to))) continue;
    }
    const hour = parseLine(line.split(',').map(unquote), i + 1, layout, problems, seen);
    if (hour) out.push(hour);
  }
  if (!bad) problems.refuse();
  return out;
}
