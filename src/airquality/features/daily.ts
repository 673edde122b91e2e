// Hourly observations to daily values: means with a coverage rule, maxima, sums and the hours measured.

/** A day's mean is only given when at least this many hours were measured (else null: too little to trust). */
export const MIN_HOURS = 18;

const finite = (xs: readonly (number | null)[]) => xs.filter((x): x is number => x !== null && Number.isFinite(x));

/** The mean of the measured hours, or null when fewer than `minHours` were measured. */
export function coveredMean(hourly: readonly (number | null)[], minHours = MIN_HOURS): number | null {
  const xs = finite(hourly);
  return xs.length >= minHours ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

/** The sum of the measured hours (precipitation), or null when fewer than `minHours` were measured. */
export function coveredSum(hourly: readonly (number | null)[], minHours = MIN_HOURS): number | null {
  const xs = finite(hourly);
  return xs.length >= minHours ? xs.reduce((a, b) => a + b, 0) : null;
}

export function maxOf(hourly: readonly (number | null)[]): number | null {
  const xs = finite(hourly);
  return xs.length ? Math.max(...xs) : null;
}

export function hoursMeasured(hourly: readonly (number | null)[]): number {
  return finite(hourly).length;
}

/** Rounds for storage (keeps tables and test expectations readable without losing meaningful precision). */
export function round(x: number | null, decimals = 2): number | null {
  if (x === null) return null;
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}
