// Dates as people say them, resolved against today: relative days, weekdays, weeks, weekends, months and written dates.
import { addDays, isIsoDate } from '../../core/dates.js';

export interface DateRange {
  start: string;
  end: string;
  /** The words that said it, and where they start in the question. */
  text: string;
  index: number;
}

/** Which way a bare "Friday" or "March 3" points: the past for history, the future for forecasts. */
export type Direction = 'past' | 'future' | 'any';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_ALT = MONTHS.map((m) => (m === 'may' ? 'may' : `${m}|${m.slice(0, 3)}${m === 'september' ? '|sept' : ''}`)).join('|');
const NUMBERS: Record<string, number> = {
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
const NUM = `(\\d{1,3}|${Object.keys(NUMBERS)
  .sort((a, b) => b.length - a.length)
  .join('|')})`;

const ORDINALS = [
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
const ORDINAL_WORDS = [...ORDINALS, ...ORDINALS.slice(0, 9).map((o) => `twenty[- ]?${o}`), 'thirtieth', 'thirty[- ]?first'];
/** A day of the month written as digits (3, 3rd) or as a word (third, twenty-first). */
// Longest first, so that "twenty-first" is not read as "twenty".
const ORDINAL_ALT = [...ORDINAL_WORDS].reverse().join('|');
const DAY = `(\\d{1,2}(?:st|nd|rd|th)?|${ORDINAL_ALT})`;
const dayOf = (s: string): number => {
  const digits = /^\d+/.exec(s);
  if (digits) return Number(digits[0]);
  const w = s.replace(/[- ]/g, '');
  if (w.startsWith('twenty')) return 20 + ORDINALS.indexOf(w.slice(6)) + 1;
  if (w.startsWith('thirty')) return 30 + (w === 'thirtieth' ? 0 : 1);
  return w === 'thirtieth' ? 30 : ORDINALS.indexOf(w) + 1;
};
// Common misspellings of "tomorrow", which people type in a hurry.
const TOMORROW = 'tomorrow|tommorow|tommorrow|tomorow|tomorrw|tomoro|tmrw|2moro';

/** A count written as digits or as a word ("3", "three", "a few"). */
export const countOf = (s: string) => NUMBERS[s] ?? Number(s);
const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const monthOf = (name: string) => MONTHS.findIndex((m) => name.startsWith(m.slice(0, 3))) + 1;

/** 0 = Monday … 6 = Sunday. */
export function weekdayIndex(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

export function weekdayName(date: string): string {
  const n = WEEKDAYS[weekdayIndex(date)]!;
  return n[0]!.toUpperCase() + n.slice(1);
}

function lastDayOfMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function monthRange(y: number, m: number): [string, string] {
  return [iso(y, m, 1), iso(y, m, lastDayOfMonth(y, m))];
}

/** Of candidate dates in order, the one the direction points to: the latest up to today, the first from today, or the nearest. */
function pickNearest(options: string[], today: string, direction: Direction): string | undefined {
  if (direction === 'past') return options.filter((o) => o <= today).at(-1);
  if (direction === 'future') return options.find((o) => o >= today);
  const dist = (o: string) => Math.abs(Date.parse(o) - Date.parse(today));
  return options.reduce<string | undefined>((a, b) => (a === undefined || dist(b) < dist(a) ? b : a), undefined);
}

/** A day and month without a year: the occurrence the direction points to. */
function pickYear(today: string, m: number, d: number, direction: Direction): string | undefined {
  const y = Number(today.slice(0, 4));
  return pickNearest([y - 1, y, y + 1].map((yy) => iso(yy, m, d)).filter(isIsoDate), today, direction);
}

/** A month without a year: this year's if it has begun (past) or has not ended (future), else the neighbouring year's. */
function pickMonth(today: string, m: number, direction: Direction): [string, string] {
  const y = Number(today.slice(0, 4));
  const thisMonth = Number(today.slice(5, 7));
  if (direction === 'future') return monthRange(m < thisMonth ? y + 1 : y, m);
  return monthRange(m > thisMonth ? y - 1 : y, m);
}

/** Holidays on a fixed calendar day (movable feasts such as Easter or the Lunar New Year are not resolved). */
function holiday(name: string): [month: number, day: number] {
  if (name.startsWith('new year')) return name.endsWith('eve') ? [12, 31] : [1, 1];
  if (name.startsWith('christmas')) return name.endsWith('eve') ? [12, 24] : [12, 25];
  if (name.startsWith('valentine')) return [2, 14];
  return [10, 31];
}

type Resolver = (m: RegExpExecArray, today: string, direction: Direction) => [string, string] | undefined;

// Tried in this order; a later pattern never takes words an earlier one matched.
const PATTERNS: [RegExp, Resolver][] = [
  [/\b(\d{4})[-/](\d{1,2})[-/](\d{1,2})\b/g, (m) => one(iso(Number(m[1]), Number(m[2]), Number(m[3])))],
  [
    /\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b/g,
    (m) => {
      // Day first (most of the world), unless only the month-first reading is a date (02/21/2017).
      const a = Number(m[1]);
      const b = Number(m[2]);
      return one(a <= 12 && b > 12 ? iso(Number(m[3]), a, b) : iso(Number(m[3]), b, a));
    },
  ],
  [
    new RegExp(`\\b(first|second|third|fourth|last) week (?:of|in) (${MONTH_ALT})\\.?(?:,? (\\d{4}))?\\b`, 'g'),
    (m, t, dir) => {
      const [start, end] = m[3] ? monthRange(Number(m[3]), monthOf(m[2]!)) : pickMonth(t, monthOf(m[2]!), dir);
      if (m[1] === 'last') return [addDays(end, -6), end];
      const from = addDays(start, 7 * ['first', 'second', 'third', 'fourth'].indexOf(m[1]!));
      return [from, addDays(from, 6)];
    },
  ],
  [
    new RegExp(`\\b(?:the )?${DAY}(?: of)? (${MONTH_ALT})\\.?(?:,? (\\d{4}))?\\b`, 'g'),
    (m, today, dir) => one(m[3] ? iso(Number(m[3]), monthOf(m[2]!), dayOf(m[1]!)) : pickYear(today, monthOf(m[2]!), dayOf(m[1]!), dir)),
  ],
  [
    new RegExp(`\\b(${MONTH_ALT})\\.? (?:the )?${DAY}(?:,? (\\d{4}))?\\b`, 'g'),
    (m, today, dir) => one(m[3] ? iso(Number(m[3]), monthOf(m[1]!), dayOf(m[2]!)) : pickYear(today, monthOf(m[1]!), dayOf(m[2]!), dir)),
  ],
  [
    /\b(new year['’]?s? (?:day|eve)|christmas(?: day| eve)?|valentine['’]?s? day|halloween)(?:,? (\d{4}))?\b/g,
    (m, today, dir) => {
      const [month, day] = holiday(m[1]!);
      return one(m[2] ? iso(Number(m[2]), month, day) : pickYear(today, month, day, dir));
    },
  ],
  [new RegExp(`\\b(?:the )?day after (?:${TOMORROW})\\b|\\bovermorrow\\b`, 'g'), (_m, t) => one(addDays(t, 2))],
  [/\b(?:the )?day before yesterday\b/g, (_m, t) => one(addDays(t, -2))],
  [new RegExp(`\\b(?:${TOMORROW})\\b`, 'g'), (_m, t) => one(addDays(t, 1))],
  [/\byesterday\b/g, (_m, t) => one(addDays(t, -1))],
  [/\b(?:today|tonight|right now|this (?:morning|afternoon|evening))\b/g, (_m, t) => one(t)],
  [new RegExp(`\\b(?:in|within) ${NUM} days?(?: time)?\\b|\\b${NUM} days? from (?:now|today)\\b`, 'g'), (m, t) => one(addDays(t, countOf(m[1] ?? m[2]!)))],
  [new RegExp(`\\b${NUM} days? ago\\b`, 'g'), (m, t) => one(addDays(t, -countOf(m[1]!)))],
  [/\bin a week\b|\ba week from (?:now|today)\b/g, (_m, t) => one(addDays(t, 7))],
  [/\ba week ago\b/g, (_m, t) => one(addDays(t, -7))],
  [new RegExp(`\\b(?:the )?(?:last|past|previous) ${NUM} days\\b`, 'g'), (m, t) => [addDays(t, 1 - countOf(m[1]!)), t]],
  [new RegExp(`\\b(?:the )?(?:next|coming|following) ${NUM} days\\b`, 'g'), (m, t) => [addDays(t, 1), addDays(t, countOf(m[1]!))]],
  [new RegExp(`\\b(?:the )?(?:last|past|previous) ${NUM} weeks\\b`, 'g'), (m, t) => [addDays(t, 1 - 7 * countOf(m[1]!)), t]],
  [new RegExp(`\\b(?:the )?(?:next|coming|following) ${NUM} weeks\\b`, 'g'), (m, t) => [addDays(t, 1), addDays(t, 7 * countOf(m[1]!))]],
  [new RegExp(`\\b${NUM} weeks? ago\\b`, 'g'), (m, t) => one(addDays(t, -7 * countOf(m[1]!)))],
  [new RegExp(`\\b(?:in|within) ${NUM} weeks?(?: time)?\\b`, 'g'), (m, t) => one(addDays(t, 7 * countOf(m[1]!)))],
  [/\b(?:the )?(?:past|last) (?:seven days|7 days)\b|\bthe past week\b/g, (_m, t) => [addDays(t, -6), t]],
  [/\b(?:the )?week before(?: last)?\b/g, (_m, t) => week(t, -2)],
  [/\bnext week\b|\bthe coming week\b/g, (_m, t) => week(t, 1)],
  [/\bthis week\b/g, (_m, t) => week(t, 0)],
  [/\b(?:last|previous) week\b/g, (_m, t) => week(t, -1)],
  [/\bnext weekend\b/g, (_m, t) => weekend(t, 1)],
  [/\b(?:last|previous) weekend\b/g, (_m, t) => weekend(t, -1)],
  [/\b(?:this|the) weekend\b|\bweekend\b/g, (_m, t) => weekend(t, 0)],
  [/\bthis month\b/g, (_m, t) => monthRange(Number(t.slice(0, 4)), Number(t.slice(5, 7)))],
  [
    /\b(?:last|previous) month\b/g,
    (_m, t) => (Number(t.slice(5, 7)) === 1 ? monthRange(Number(t.slice(0, 4)) - 1, 12) : monthRange(Number(t.slice(0, 4)), Number(t.slice(5, 7)) - 1)),
  ],
  [
    /\bnext month\b/g,
    (_m, t) => (Number(t.slice(5, 7)) === 12 ? monthRange(Number(t.slice(0, 4)) + 1, 1) : monthRange(Number(t.slice(0, 4)), Number(t.slice(5, 7)) + 1)),
  ],
  [new RegExp(`\\bnext (${WEEKDAYS.join('|')})\\b`, 'g'), (m, t) => one(addDays(mondayOf(t), 7 + WEEKDAYS.indexOf(m[1]!)))],
  [new RegExp(`\\b(?:last|previous) (${WEEKDAYS.join('|')})\\b`, 'g'), (m, t) => one(previous(t, WEEKDAYS.indexOf(m[1]!)))],
  [new RegExp(`\\bthis (${WEEKDAYS.join('|')})\\b`, 'g'), (m, t) => one(addDays(mondayOf(t), WEEKDAYS.indexOf(m[1]!)))],
  [
    new RegExp(`\\b(${WEEKDAYS.join('|')})\\b`, 'g'),
    (m, t, dir) => {
      const i = WEEKDAYS.indexOf(m[1]!);
      if (dir === 'past') return one(previous(t, i));
      const ahead = (i - weekdayIndex(t) + 7) % 7;
      return one(addDays(t, dir === 'future' && ahead === 0 ? 7 : ahead));
    },
  ],
  [
    // A month alone ("in January", "February 2017"); "may" only with "in" or a year, since it is also a verb.
    new RegExp(
      `\\b(?:in |during |for )(${MONTH_ALT})(?: (\\d{4}))?\\b|\\b(${MONTH_ALT}) (\\d{4})\\b|\\b(${MONTHS.filter((x) => x !== 'may').join('|')})\\b`,
      'g',
    ),
    (m, t, dir) => {
      const name = m[1] ?? m[3] ?? m[5]!;
      const year = m[2] ?? m[4];
      return year ? monthRange(Number(year), monthOf(name)) : pickMonth(t, monthOf(name), dir);
    },
  ],
  [
    // "on the 15th": a day of this month or the one the direction points to.
    new RegExp(`\\bthe (\\d{1,2}(?:st|nd|rd|th)|${ORDINAL_ALT})\\b(?! (?:most|closest|nearest|similar|days?|weeks?|months?|years?|time)\\b)`, 'g'),
    (m, t, dir) => one(dayOfNearMonth(t, dayOf(m[1]!), dir)),
  ],
];

/** Day `d` of the nearest month that has it, in the direction asked (the past, the future, or either). */
function dayOfNearMonth(today: string, d: number, direction: Direction): string | undefined {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  // Two months either side: the 31st before 5 March is 31 January.
  const options = [-2, -1, 0, 1, 2].map((k) => iso(y + Math.floor((m - 1 + k) / 12), ((m - 1 + k + 12) % 12) + 1, d)).filter(isIsoDate);
  return pickNearest(options, today, direction);
}

function one(date: string | undefined): [string, string] | undefined {
  return date !== undefined && isIsoDate(date) ? [date, date] : undefined;
}

function mondayOf(date: string): string {
  return addDays(date, -weekdayIndex(date));
}

/** Monday to Sunday, `offset` weeks from this one. */
function week(today: string, offset: number): [string, string] {
  const monday = addDays(mondayOf(today), 7 * offset);
  return [monday, addDays(monday, 6)];
}

function weekend(today: string, offset: number): [string, string] {
  const monday = addDays(mondayOf(today), 7 * offset);
  return [addDays(monday, 5), addDays(monday, 6)];
}

/** The latest given weekday strictly before today. */
function previous(today: string, weekday: number): string {
  const back = (weekdayIndex(today) - weekday + 7) % 7 || 7;
  return addDays(today, -back);
}

/** Every date expression in the text, in the order they appear. */
export function resolveDates(text: string, today: string, direction: Direction = 'any'): DateRange[] {
  const lower = text.toLowerCase();
  const taken: [number, number][] = [];
  const found: DateRange[] = [];
  for (const [pattern, resolve] of PATTERNS) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(lower); m !== null; m = pattern.exec(lower)) {
      const from = m.index;
      const to = from + m[0].length;
      if (taken.some(([a, b]) => from < b && to > a)) continue;
      const range = resolve(m, today, direction);
      if (!range) continue;
      taken.push([from, to]);
      found.push({ start: range[0], end: range[1], text: text.slice(from, to), index: from });
    }
  }
  return joinSpans(
    text,
    found.sort((a, b) => a.index - b.index),
  );
}

// "from Thursday to Saturday", "between 2017-02-01 and 2017-02-05", "Monday-Wednesday": one period, not two days.
const BEFORE_SPAN = /\b(from|between)\s*$/i;
const JOINER = /^\s*(to|until|till|through|thru|-|–)\s*$/i;
const AND = /^\s*and\s*$/i;

function joinSpans(text: string, found: DateRange[]): DateRange[] {
  const out: DateRange[] = [];
  for (const r of found) {
    const prev = out.at(-1);
    if (prev && r.start >= prev.start) {
      const between = text.slice(prev.index + prev.text.length, r.index);
      const opener = BEFORE_SPAN.exec(text.slice(0, prev.index))?.[1]?.toLowerCase();
      if (JOINER.test(between) || (AND.test(between) && opener === 'between')) {
        out[out.length - 1] = { start: prev.start, end: r.end, text: text.slice(prev.index, r.index + r.text.length), index: prev.index };
        continue;
      }
    }
    out.push(r);
  }
  return out;
}
