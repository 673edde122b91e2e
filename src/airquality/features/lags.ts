// Lag and rolling features over a daily series, point-in-time: the value for date D uses data up to D only.
import { addDays } from '../../core/dates.js';

export interface DailyPoint {
  date: string;
  value: number | null;
}

/** The value `k` calendar days before each point's date (null when that day is missing). */
export function lag(series: readonly DailyPoint[], k: number): (number | null)[] {
  const byDate = new Map(series.map((p) => [p.date, p.value]));
  return series.map((p) => byDate.get(addDays(p.date, -k)) ?? null);
}

/**
 * The mean of the values in the `window` calendar days ending at each point's date (inclusive),
 * ignoring nulls; null when fewer than `minValues` values are present. `series` must be sorted by date.
 */
export function rollingMean(series: readonly DailyPoint[], window: number, minValues = 1): (number | null)[] {
  const out: (number | null)[] = [];
  let start = 0;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < series.length; i++) {
    const p = series[i]!;
    if (p.value !== null) {
      sum += p.value;
      count++;
    }
    const first = addDays(p.date, -(window - 1));
    while (series[start]!.date < first) {
      const v = series[start]!.value;
      if (v !== null) {
        sum -= v;
        count--;
      }
      start++;
    }
    out.push(count >= minValues ? sum / count : null);
  }
  return out;
}
