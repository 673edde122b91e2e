// aqicn.org's "Download this data" CSV exports, in both header styles, converted from AQI to µg/m³.
//
// aqicn publishes pollutant values as US-EPA AQI sub-indices, not concentrations, in both styles:
//   - `date, pm25, pm10, no2` with dates like 2025/7/1 (blanks are missing; rows unsorted);
//   - `date,min,max,pm25,q1,q3,stdev,count` with ISO timestamps (daily statistics; the median is in pm25).
// Values are converted with EPA's 2012 breakpoint table, the one aqicn's history was computed with.
import { readFileSync } from 'node:fs';
import { isIsoDate } from '../../core/dates.js';
import { ValidationError } from '../../core/errors.js';
import { aqiToConcentration } from '../features/aqi.js';

export interface AqicnDay {
  date: string;
  pm25: number | null;
  /** Only in the statistics style: the day's maximum PM2.5 (µg/m³). */
  pm25Max: number | null;
  pm10: number | null;
  no2: number | null;
}

const pad = (s: string) => s.padStart(2, '0');

function parseDate(raw: string, file: string, line: number): string {
  const slash = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(raw);
  const date = slash ? `${slash[1]}-${pad(slash[2]!)}-${pad(slash[3]!)}` : raw.slice(0, 10);
  if (!isIsoDate(date)) throw new ValidationError(`${file}, line ${line}: cannot read the date ${JSON.stringify(raw)}`);
  return date;
}

function aqi(raw: string | undefined, file: string, line: number, column: string): number | null {
  if (raw === undefined || raw.trim() === '') return null;
  const x = Number(raw);
  if (!Number.isFinite(x) || x < 0) throw new ValidationError(`${file}, line ${line}: ${column} is not an AQI value: ${JSON.stringify(raw)}`);
  return x;
}

/** Reads an export (either style) into daily µg/m³ values, sorted by date; a date given twice keeps its last row. */
export function readAqicnCsv(file: string): AqicnDay[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ValidationError(`cannot read ${file}; give the CSV file that aqicn.org's "Download this data" produced`);
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const at = (c: string) => header.indexOf(c);
  if (at('date') < 0 || at('pm25') < 0) {
    throw new ValidationError(`${file}: not an aqicn export; expected a header with date and pm25 (got: ${header.join(', ')})`);
  }
  const days = new Map<string, AqicnDay>();
  for (let i = 1; i < lines.length; i++) {
    const v = lines[i]!.split(',').map((x) => x.trim());
    const date = parseDate(v[at('date')] ?? '', file, i + 1);
    const value = (c: string, pollutant: 'pm25' | 'pm10' | 'no2') => {
      const a = at(c) < 0 ? null : aqi(v[at(c)], file, i + 1, c);
      return a === null ? null : aqiToConcentration(a, pollutant, '2012');
    };
    days.set(date, { date, pm25: value('pm25', 'pm25'), pm25Max: value('max', 'pm25'), pm10: value('pm10', 'pm10'), no2: value('no2', 'no2') });
  }
  return [...days.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
}
