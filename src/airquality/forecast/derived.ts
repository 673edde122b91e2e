// Inputs the forecaster derives from its view's columns: how the weather changed into the target day (day-to-day tendencies).
//
// Trees split on one column at a time, so "pressure rose 8 hPa since yesterday" (a cold front that clears the air) is
// out of their reach when they see only today's and yesterday's pressure. Held-out Beijing stations, test year
// 2016-03..2017-02, recorded weather: with these tendencies and the weather of two days before, RMSE fell from
// 36.2/42.8/44.0-44.2 to 32.0/36.0/40.3-40.6 µg/m³ at 1/2/3-7 days ahead (bench/forecast.ts measures it).
import type { Row } from '../../store/index.js';

/** One derived input: `to` − `from` (both numbers, else null). */
export interface Tendency {
  name: string;
  to: string;
  from: string;
}

const CHANGING = ['pressure_mean', 'dew_point_mean', 'temperature_mean'] as const;

/** Into the target day (target − day before) and into the day before (day before − two days before). */
export const TENDENCIES: readonly Tendency[] = CHANGING.flatMap((f) => [
  { name: `change_${f}`, to: f, from: `prev_${f}` },
  { name: `prev_change_${f}`, to: `prev_${f}`, from: `prev2_${f}` },
]);

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const BY_NAME = new Map(TENDENCIES.map((t) => [t.name, t]));

/** A tendency's value in this row: null where either day's value is missing. */
function tendency(row: Row, t: Tendency): number | null {
  const [to, from] = [num(row[t.to]), num(row[t.from])];
  return to === null || from === null ? null : Math.round((to - from) * 1000) / 1000;
}

/** Reads one input of a row: a view column as it is, a derived input computed from its columns. */
export function inputOf(row: Row, name: string): unknown {
  const t = BY_NAME.get(name);
  return t ? tendency(row, t) : row[name];
}

/** The names a model trained on rows like `row` reads: the row's columns, then the tendencies. */
export function inputNames(row: Row): string[] {
  return [...Object.keys(row).filter((k) => !BY_NAME.has(k)), ...TENDENCIES.map((t) => t.name)];
}
