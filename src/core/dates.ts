// Calendar-date helpers: strict YYYY-MM-DD parsing and formatting, all in UTC arithmetic.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `s` is a real calendar date written YYYY-MM-DD (2021-02-30 is not). */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

export function formatIsoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Days since 1970-01-01 for a YYYY-MM-DD date (DuckDB's DATE representation). */
export function isoDateToEpochDays(s: string): number {
  return Math.round(Date.parse(`${s}T00:00:00Z`) / 86_400_000);
}

export function epochDaysToIsoDate(days: number): string {
  return formatIsoDate(new Date(days * 86_400_000));
}

export function addDays(isoDate: string, n: number): string {
  return epochDaysToIsoDate(isoDateToEpochDays(isoDate) + n);
}
