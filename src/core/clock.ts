// The clock: where "today" and "now" come from, so replays, tests and evals are deterministic.
import { formatIsoDate, isIsoDate } from './dates.js';
import { ConfigError } from './errors.js';

export interface Clock {
  /** Today's date, YYYY-MM-DD. */
  today(): string;
  /** The current instant. With a fixed today this is the end of that day (UTC), as if the day had just closed. */
  now(): Date;
}

export const systemClock: Clock = {
  today: () => formatIsoDate(new Date()),
  now: () => new Date(),
};

/** A clock frozen at the end of `today` — what `--today` / `AIRQ_TODAY` give. */
export function fixedClock(today: string): Clock {
  if (!isIsoDate(today)) {
    throw new ConfigError(`today must be a date written YYYY-MM-DD, got "${today}"`);
  }
  const endOfDay = new Date(`${today}T23:59:59.999Z`);
  return { today: () => today, now: () => new Date(endOfDay) };
}

export function clockFor(today: string | undefined): Clock {
  return today === undefined ? systemClock : fixedClock(today);
}
