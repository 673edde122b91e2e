// The UCI Beijing multi-site dataset: one gzip'd (or plain) CSV of hourly rows per station.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ValidationError } from '../../core/errors.js';

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

/** The station files in `dir` (PRSA_Data_<Station>_<from>-<to>.csv[.gz]), sorted. */
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
  return files.map((f) => join(dir, f));
}

const pad = (n: number) => String(n).padStart(2, '0');

function num(v: string | undefined, file: string, line: number, column: string): number | null {
  if (v === undefined || v === 'NA' || v === '') return null;
  const x = Number(v);
  if (!Number.isFinite(x)) throw new ValidationError(`${file}, line ${line}: ${column} is not a number: ${JSON.stringify(v)}`);
  return x;
}

/**
 * Reads one station file, optionally only the local dates in [from, to] (a cheap test on the date
 * fields skips the other lines, so a daily run does not parse four years). A malformed line is an
 * error that names the file, line and column.
 */
export function readBeijingStation(file: string, range: { from?: string; to?: string } = {}): BeijingHour[] {
  const buf = readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = (lines[0] ?? '').split(',').map((h) => h.replaceAll('"', '').trim());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new ValidationError(`${file}: not a UCI Beijing file; missing columns ${missing.join(', ')}`);
  const at = Object.fromEntries(REQUIRED.map((c) => [c, header.indexOf(c)]));
  const out: BeijingHour[] = [];
  const ranged = range.from !== undefined || range.to !== undefined;
  const last = Math.max(at.year!, at.month!, at.day!);
  for (let i = 1; i < lines.length; i++) {
    if (ranged) {
      const head = lines[i]!.split(',', last + 1);
      const date = `${head[at.year!]}-${pad(Number(head[at.month!]))}-${pad(Number(head[at.day!]))}`;
      if ((range.from !== undefined && date < range.from) || (range.to !== undefined && date > range.to)) continue;
    }
    const v = lines[i]!.split(',').map((x) => x.replaceAll('"', ''));
    const year = num(v[at.year!], file, i + 1, 'year');
    const month = num(v[at.month!], file, i + 1, 'month');
    const day = num(v[at.day!], file, i + 1, 'day');
    const hour = num(v[at.hour!], file, i + 1, 'hour');
    if (year === null || month === null || day === null || hour === null) {
      throw new ValidationError(`${file}, line ${i + 1}: year, month, day and hour are required`);
    }
    const wd = v[at.wd!];
    out.push({
      station: v[at.station!]!,
      date: `${year}-${pad(month)}-${pad(day)}`,
      hour,
      pm25: num(v[at['PM2.5']!], file, i + 1, 'PM2.5'),
      pm10: num(v[at.PM10!], file, i + 1, 'PM10'),
      no2: num(v[at.NO2!], file, i + 1, 'NO2'),
      temp: num(v[at.TEMP!], file, i + 1, 'TEMP'),
      pres: num(v[at.PRES!], file, i + 1, 'PRES'),
      dewp: num(v[at.DEWP!], file, i + 1, 'DEWP'),
      rain: num(v[at.RAIN!], file, i + 1, 'RAIN'),
      wspm: num(v[at.WSPM!], file, i + 1, 'WSPM'),
      wd: wd === undefined || wd === 'NA' || wd === '' ? null : wd,
    });
  }
  return out;
}
