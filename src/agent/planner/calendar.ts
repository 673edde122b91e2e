// The calendar the date grammar works on: weekday and month names, counts and ordinals, weeks, weekends, months and picking the nearest date.
import { addDays, isIsoDate, weekdayIndex } from '../../core/dates.js';

/** Which way a bare "Friday" or "March 3" points: the past for history, the future for forecasts. */
export type Direction = 'past' | 'future' | 'any';

/** Turns a pattern's match into a period [start, end], or undefined when the words name no real date. */
export type Resolver = (m: RegExpExecArray, today: string, direction: Direction) => [string, string] | undefined;

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const SHORT_WEEKDAYS = 'mon|tues?|wed|thu(?:rs?)?|fri';
/** A weekday after "next", "last" or "this": full or short ("wed", "sat"). */
export const WEEKDAY_ALT = `${WEEKDAYS.join('|')}|${SHORT_WEEKDAYS}|sat|sun`;
/** A weekday standing alone; "sat" and "sun" only after a word that makes them days ("on sun", "between wed and sun"). */
export const BARE_WEEKDAY_ALT = `${WEEKDAYS.join('|')}|(?<!['’])(?:${SHORT_WEEKDAYS})|(?<=\\b(?:on|for|between|from|to|and|or|till|until|by|thru|through)\\s)(?:sat|sun)`;
/** 0 = Monday … 6 = Sunday, of a full or short weekday name. */
export const weekdayOf = (name: string) => WEEKDAYS.findIndex((w) => w.startsWith(name.slice(0, 3)));
export const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
export const MONTH_ALT = MONTHS.map((m) => (m === 'may' ? 'may' : `${m}|${m.slice(0, 3)}${m === 'september' ? '|sept' : ''}`)).join('|');
export const NUMBERS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fourteen: 14,
  thirty: 30,
  couple: 2,
  'a couple of': 2,
  few: 3,
  'a few': 3,
};
export const NUM = `(\\d{1,3}|${Object.keys(NUMBERS)
  .sort((a, b) => b.length - a.length)
  .join('|')})`;

export const ORDINALS = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
  'eleventh',
  'twelfth',
  'thirteenth',
  'fourteenth',
  'fifteenth',
  'sixteenth',
  'seventeenth',
  'eighteenth',
  'nineteenth',
  'twentieth',
];
export const ORDINAL_WORDS = [...ORDINALS, ...ORDINALS.slice(0, 9).map((o) => `twenty[- ]?${o}`), 'thirtieth', 'thirty[- ]?first'];
/** A day of the month written as digits (3, 3rd) or as a word (third, twenty-first). */
// Longest first, so that "twenty-first" is not read as "twenty".
export const ORDINAL_ALT = [...ORDINAL_WORDS].reverse().join('|');
export const DAY = `(\\d{1,2}(?:st|nd|rd|th)?|${ORDINAL_ALT})`;
export const dayOf = (s: string): number => {
  const digits = /^\d+/.exec(s);
  if (digits) return Number(digits[0]);
  const w = s.replace(/[- ]/g, '');
  if (w.startsWith('twenty')) return 20 + ORDINALS.indexOf(w.slice(6)) + 1;
  if (w.startsWith('thirty')) return 30 + (w === 'thirtieth' ? 0 : 1);
  return w === 'thirtieth' ? 30 : ORDINALS.indexOf(w) + 1;
};
// Common misspellings of "tomorrow", which people type in a hurry.
export const TOMORROW = 'tomorrow|tommorow|tommorrow|tomorow|tomorrw|tomoro|tmrw|2moro';

/** A count written as digits or as a word ("3", "three", "a few"). */
export const countOf = (s: string) => NUMBERS[s] ?? Number(s);
export const pad = (n: number) => String(n).padStart(2, '0');
export const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
export const monthOf = (name: string) => MONTHS.findIndex((m) => name.startsWith(m.slice(0, 3))) + 1;

export { weekdayIndex };

export function weekdayName(date: string): string {
  const n = WEEKDAYS[weekdayIndex(date)]!;
  return n[0]!.toUpperCase() + n.slice(1);
}

export function lastDayOfMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function monthRange(y: number, m: number): [string, string] {
  return [iso(y, m, 1), iso(y, m, lastDayOfMonth(y, m))];
}

/** Of candidate dates in order, the one the direction points to: the latest up to today, the first from today, or the nearest. */
export function pickNearest(options: string[], today: string, direction: Direction): string | undefined {
  if (direction === 'past') return options.filter((o) => o <= today).at(-1);
  if (direction === 'future') return options.find((o) => o >= today);
  const dist = (o: string) => Math.abs(Date.parse(o) - Date.parse(today));
  return options.reduce<string | undefined>((a, b) => (a === undefined || dist(b) < dist(a) ? b : a), undefined);
}

/** A day and month without a year: the occurrence the direction points to. */
export function pickYear(today: string, m: number, d: number, direction: Direction): string | undefined {
  const y = Number(today.slice(0, 4));
  return pickNearest([y - 1, y, y + 1].map((yy) => iso(yy, m, d)).filter(isIsoDate), today, direction);
}

/** A month without a year: this year's if it has begun (past) or has not ended (future), else the neighbouring year's. */
export function pickMonth(today: string, m: number, direction: Direction): [string, string] {
  const y = Number(today.slice(0, 4));
  const thisMonth = Number(today.slice(5, 7));
  if (direction === 'future') return monthRange(m < thisMonth ? y + 1 : y, m);
  return monthRange(m > thisMonth ? y - 1 : y, m);
}

/** Day `d` of the nearest month that has it, in the direction asked (the past, the future, or either). */
export function dayOfNearMonth(today: string, d: number, direction: Direction): string | undefined {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  // Two months either side: the 31st before 5 March is 31 January.
  const options = [-2, -1, 0, 1, 2].map((k) => iso(y + Math.floor((m - 1 + k) / 12), ((m - 1 + k + 12) % 12) + 1, d)).filter(isIsoDate);
  return pickNearest(options, today, direction);
}

export function one(date: string | undefined): [string, string] | undefined {
  return date !== undefined && isIsoDate(date) ? [date, date] : undefined;
}

export function mondayOf(date: string): string {
  return addDays(date, -weekdayIndex(date));
}

/** Monday to Sunday, `offset` weeks from this one. */
export function week(today: string, offset: number): [string, string] {
  const monday = addDays(mondayOf(today), 7 * offset);
  return [monday, addDays(monday, 6)];
}

export function weekend(today: string, offset: number): [string, string] {
  const monday = addDays(mondayOf(today), 7 * offset);
  return [addDays(monday, 5), addDays(monday, 6)];
}

/** The latest given weekday strictly before today. */
export function previous(today: string, weekday: number): string {
  const back = (weekdayIndex(today) - weekday + 7) % 7 || 7;
  return addDays(today, -back);
}
