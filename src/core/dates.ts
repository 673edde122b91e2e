// Calendar-date helpers: strict YYYY-MM-DD parsing and formatting, all in UTC arithmetic.

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Parsed by hand, without Date objects: this runs once per date value on every insert.
const digits = (s: string, from: number, to: number) => {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (s.charCodeAt(i) - 48);
  return n;
};

/** True when `s` is a real calendar date written YYYY-MM-DD (2021-02-30 is not). */
export function isIsoDate(s: string): boolean {
  if (s.length !== 10 || !ISO_DATE.test(s)) return false;
  const month = digits(s, 5, 7);
  const day = digits(s, 8, 10);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(digits(s, 0, 4), month);
}

export function formatIsoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Days since 1970-01-01 for a valid YYYY-MM-DD date (DuckDB's DATE representation). */
export function isoDateToEpochDays(s: string): number {
  // Howard Hinnant's days_from_civil, in integer arithmetic.
  let y = digits(s, 0, 4);
  const m = digits(s, 5, 7);
  const d = digits(s, 8, 10);
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export function epochDaysToIsoDate(days: number): string {
  return formatIsoDate(new Date(days * 86_400_000));
}

export function addDays(isoDate: string, n: number): string {
  return epochDaysToIsoDate(isoDateToEpochDays(isoDate) + n);
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayIndex(isoDate: string): number {
  return (new Date(`${isoDate}T00:00:00Z`).getUTCDay() + 6) % 7;
}
