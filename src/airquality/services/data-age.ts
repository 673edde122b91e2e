// How old a value is, said in words when it is older than expected (the pipelines have not run).
import { isoDateToEpochDays } from '../../core/dates.js';

/**
 * "this forecast was issued 2024-03-10, 3 days before today (2024-03-13); the data has not been updated since",
 * or null when `date` is at most `expectedLag` days before today.
 */
export function ageNote(what: string, date: string, today: string, expectedLag: number): string | null {
  const days = isoDateToEpochDays(today) - isoDateToEpochDays(date);
  if (days <= expectedLag) return null;
  return `${what} ${date}, ${days} day${days === 1 ? '' : 's'} before today (${today}); the data has not been updated since`;
}
