// Dates as people say them, resolved against today: relative days, weekdays, weeks, weekends, months and written dates.
import { addDays } from '../../core/dates.js';
import { HOLIDAYS } from './holidays.js';
import { MONTH_PART_PATTERNS, yearIn } from './month-parts.js';
import {
  BARE_WEEKDAY_ALT,
  WEEKDAY_ALT,
  weekdayOf,
  MONTHS,
  MONTH_ALT,
  NUM,
  ORDINAL_ALT,
  DAY,
  dayOf,
  TOMORROW,
  countOf,
  iso,
  monthOf,
  weekdayIndex,
  weekdayName,
  type Resolver,
  monthRange,
  pickNearest,
  pickYear,
  pickMonth,
  dayOfNearMonth,
  one,
  mondayOf,
  week,
  weekend,
  previous,
  type Direction,
} from './calendar.js';

export type { Direction };
export { countOf, weekdayIndex, weekdayName };

/** A period of days, first and last included. */
export interface Period {
  start: string;
  end: string;
}

export interface DateRange extends Period {
  /** The words that said it, and where they start in the question. */
  text: string;
  index: number;
}

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
  ...MONTH_PART_PATTERNS,
  [
    new RegExp(`\\b(first|second|third|fourth|last) week (?:of|in) (${MONTH_ALT})\\.?(?:,? (\\d{4}|(?:this|last|next) year))?\\b`, 'g'),
    (m, t, dir) => {
      const [start, end] = m[3] ? monthRange(yearIn(m[3], t), monthOf(m[2]!)) : pickMonth(t, monthOf(m[2]!), dir);
      if (m[1] === 'last') return [addDays(end, -6), end];
      const from = addDays(start, 7 * ['first', 'second', 'third', 'fourth'].indexOf(m[1]!));
      return [from, addDays(from, 6)];
    },
  ],
  [
    new RegExp(`\\b(?:the )?${DAY}(?: of)? (${MONTH_ALT})\\.?(?:,? (\\d{4}|(?:this|last|next) year))?\\b`, 'g'),
    (m, today, dir) => one(m[3] ? iso(yearIn(m[3], today), monthOf(m[2]!), dayOf(m[1]!)) : pickYear(today, monthOf(m[2]!), dayOf(m[1]!), dir)),
  ],
  [
    new RegExp(`\\b(${MONTH_ALT})\\.? (?:the )?${DAY}(?:,? (\\d{4}|(?:this|last|next) year))?\\b`, 'g'),
    (m, today, dir) => one(m[3] ? iso(yearIn(m[3], today), monthOf(m[1]!), dayOf(m[2]!)) : pickYear(today, monthOf(m[1]!), dayOf(m[2]!), dir)),
  ],
  ...HOLIDAYS.map(({ pattern, dateIn }): [RegExp, Resolver] => [
    new RegExp(`\\b(?:${pattern})(?:,? (\\d{4}|(?:this|last|next) year))?\\b`, 'g'),
    (m, today, dir) => {
      if (m[1]) return one(dateIn(yearIn(m[1], today)));
      const y = Number(today.slice(0, 4));
      return one(
        pickNearest(
          [y - 1, y, y + 1].map(dateIn).filter((d): d is string => d !== undefined),
          today,
          dir,
        ),
      );
    },
  ]),

  [new RegExp(`\\b(?:the )?day after (?:${TOMORROW})\\b|\\bovermorrow\\b`, 'g'), (_m, t) => one(addDays(t, 2))],
  [/\b(?:the )?day before yesterday\b/g, (_m, t) => one(addDays(t, -2))],
  [new RegExp(`\\b(?:${TOMORROW})\\b`, 'g'), (_m, t) => one(addDays(t, 1))],
  [/\byesterday\b/g, (_m, t) => one(addDays(t, -1))],
  [
    new RegExp(`\\bwithin (?:the next )?${NUM} (days?|weeks?)\\b`, 'g'),
    (m, t) => [addDays(t, 1), addDays(t, countOf(m[1]!) * (m[2]!.startsWith('week') ? 7 : 1))],
  ],
  [new RegExp(`\\bin ${NUM} days?(?: time)?\\b|\\b${NUM} days? from (?:now|today)\\b`, 'g'), (m, t) => one(addDays(t, countOf(m[1] ?? m[2]!)))],
  [new RegExp(`\\b${NUM} days? ago\\b`, 'g'), (m, t) => one(addDays(t, -countOf(m[1]!)))],
  [/\bin a week\b|\ba week from (?:now|today)\b/g, (_m, t) => one(addDays(t, 7))],
  // After every "... from today", so that "a week from today" is one date, not today.
  [/\b(?:today|tonight|right now|this (?:morning|afternoon|evening))\b/g, (_m, t) => one(t)],
  [/\ba week ago\b/g, (_m, t) => one(addDays(t, -7))],
  [new RegExp(`\\b(?:the )?(?:last|past|previous) ${NUM} days\\b`, 'g'), (m, t) => [addDays(t, 1 - countOf(m[1]!)), t]],
  [new RegExp(`\\b(?:the )?(?:next|coming|following) ${NUM} days\\b`, 'g'), (m, t) => [addDays(t, 1), addDays(t, countOf(m[1]!))]],
  [new RegExp(`\\b(?:the )?(?:last|past|previous) ${NUM} weeks\\b`, 'g'), (m, t) => [addDays(t, 1 - 7 * countOf(m[1]!)), t]],
  [new RegExp(`\\b(?:the )?(?:next|coming|following) ${NUM} weeks\\b`, 'g'), (m, t) => [addDays(t, 1), addDays(t, 7 * countOf(m[1]!))]],
  [new RegExp(`\\b${NUM} weeks? ago\\b`, 'g'), (m, t) => one(addDays(t, -7 * countOf(m[1]!)))],
  [new RegExp(`\\bin ${NUM} weeks?(?: time)?\\b`, 'g'), (m, t) => one(addDays(t, 7 * countOf(m[1]!)))],
  [/\bthe past week\b/g, (_m, t) => [addDays(t, -6), t]],
  [/\b(?:the )?(?:last|past|previous) fortnight\b/g, (_m, t) => [addDays(t, -13), t]],
  [/\b(?:the )?(?:next|coming|following) fortnight\b/g, (_m, t) => [addDays(t, 1), addDays(t, 14)]],
  [/\b(?:in )?a fortnight(?: from (?:now|today))?\b(?! ago)/g, (_m, t) => one(addDays(t, 14))],
  [/\ba fortnight ago\b/g, (_m, t) => one(addDays(t, -14))],
  [/\b(?:the )?week before last\b/g, (_m, t) => week(t, -2)],
  // "The coming week" and "the week ahead" are the next seven days; "next week" is the calendar week.
  [/\b(?:the |this )?(?:coming|upcoming) week\b|\bthe (?:week ahead|next week)\b|\b(?:the )?next seven days\b/g, (_m, t) => [addDays(t, 1), addDays(t, 7)]],
  [/\bnext week\b/g, (_m, t) => week(t, 1)],
  [/\bthis week\b/g, (_m, t) => week(t, 0)],
  [/\b(?:last|previous) week\b/g, (_m, t) => week(t, -1)],
  [/\bnext weekend\b/g, (_m, t) => weekend(t, 1)],
  [/\b(?:last|previous) weekend\b/g, (_m, t) => weekend(t, -1)],
  // Asked in the past tense before Saturday, "the weekend" is the one just gone.
  [/\bthis weekend\b/g, (_m, t) => weekend(t, 0)],
  [/\b(?:the )?weekend\b/g, (_m, t, dir) => weekend(t, dir === 'past' && weekdayIndex(t) < 5 ? -1 : 0)],
  [/\bthis month\b/g, (_m, t) => monthRange(Number(t.slice(0, 4)), Number(t.slice(5, 7)))],
  [
    /\b(?:last|previous) month\b/g,
    (_m, t) => (Number(t.slice(5, 7)) === 1 ? monthRange(Number(t.slice(0, 4)) - 1, 12) : monthRange(Number(t.slice(0, 4)), Number(t.slice(5, 7)) - 1)),
  ],
  [
    /\bnext month\b/g,
    (_m, t) => (Number(t.slice(5, 7)) === 12 ? monthRange(Number(t.slice(0, 4)) + 1, 1) : monthRange(Number(t.slice(0, 4)), Number(t.slice(5, 7)) + 1)),
  ],
  [new RegExp(`\\bnext (${WEEKDAY_ALT})\\b`, 'g'), (m, t) => one(addDays(mondayOf(t), 7 + weekdayOf(m[1]!)))],
  [new RegExp(`\\b(?:last|previous) (${WEEKDAY_ALT})\\b`, 'g'), (m, t) => one(previous(t, weekdayOf(m[1]!)))],
  [new RegExp(`\\bthis (${WEEKDAY_ALT})\\b`, 'g'), (m, t) => one(addDays(mondayOf(t), weekdayOf(m[1]!)))],
  [
    new RegExp(`\\b(${BARE_WEEKDAY_ALT})\\b`, 'g'),
    (m, t, dir) => {
      const i = weekdayOf(m[1]!);
      if (dir === 'past') return one(previous(t, i));
      const ahead = (i - weekdayIndex(t) + 7) % 7;
      return one(addDays(t, dir === 'future' && ahead === 0 ? 7 : ahead));
    },
  ],
  [
    // A month alone ("in January", "February 2017"); "may" only with "in" or a year, since it is also a verb.
    new RegExp(
      `\\b(?:in |during |for )(${MONTH_ALT})(?: (\\d{4}|(?:this|last|next) year))?\\b|\\b(${MONTH_ALT}),? (\\d{4}|(?:this|last|next) year)\\b|\\b(${MONTHS.filter((x) => x !== 'may').join('|')})\\b`,
      'g',
    ),
    (m, t, dir) => {
      const name = m[1] ?? m[3] ?? m[5]!;
      const year = m[2] ?? m[4];
      return year ? monthRange(yearIn(year, t), monthOf(name)) : pickMonth(t, monthOf(name), dir);
    },
  ],
  // After months, so that "January this year" is one month.
  [/\blast year\b/g, (_m, t) => [`${Number(t.slice(0, 4)) - 1}-01-01`, `${Number(t.slice(0, 4)) - 1}-12-31`]],
  [/\bthis year(?: so far)?\b|\bso far this year\b/g, (_m, t, dir) => [`${t.slice(0, 4)}-01-01`, dir === 'future' ? `${t.slice(0, 4)}-12-31` : t]],
  [
    // "on the 15th": a day of this month or the one the direction points to.
    new RegExp(
      `\\bthe (\\d{1,2}(?:st|nd|rd|th)|${ORDINAL_ALT})\\b(?! (?:most|least|closest|nearest|similar|best|worst|highest|lowest|cleanest|dirtiest|half|third|quarter|days?|weeks?|months?|years?|time)\\b)`,
      'g',
    ),
    (m, t, dir) => one(dayOfNearMonth(t, dayOf(m[1]!), dir)),
  ],
];

/**
 * Every date expression in the text, in the order they appear. `direction` may differ per clause: a function
 * of where the expression starts. "The day before" counts from the date named before it, else from `anchor`.
 */
export function resolveDates(text: string, today: string, direction: Direction | ((index: number) => Direction) = 'any', anchor?: Period): DateRange[] {
  const lower = text.toLowerCase();
  const directionAt = typeof direction === 'function' ? direction : () => direction;
  const taken: [number, number][] = [];
  const found: DateRange[] = [];
  for (const [pattern, resolve] of PATTERNS) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(lower); m !== null; m = pattern.exec(lower)) {
      const from = m.index;
      const to = from + m[0].length;
      if (taken.some(([a, b]) => from < b && to > a)) continue;
      const range = resolve(m, today, directionAt(from));
      if (!range) continue;
      taken.push([from, to]);
      found.push({ start: range[0], end: range[1], text: text.slice(from, to), index: from });
    }
  }
  return relativeSpans(
    lower,
    text,
    joinSpans(
      text,
      found.sort((a, b) => a.index - b.index),
    ),
    taken,
    anchor,
  );
}

// "the day before", "the next day", "the week after": counted from the period named before them.
const RELATIVE = /\b(?:the )?(day|week) (before|after|earlier|later)\b|\bthe (previous|next|following) (day|week)\b/g;

function relativeSpans(lower: string, text: string, found: DateRange[], taken: [number, number][], anchor: Period | undefined): DateRange[] {
  const out = [...found];
  RELATIVE.lastIndex = 0;
  for (let m = RELATIVE.exec(lower); m !== null; m = RELATIVE.exec(lower)) {
    const from = m.index;
    const to = from + m[0].length;
    if (taken.some(([a, b]) => from < b && to > a)) continue;
    const base = out.filter((r) => r.index < from).at(-1) ?? anchor;
    if (!base) continue;
    const unit = m[1] ?? m[4];
    const back = m[2] === 'before' || m[2] === 'earlier' || m[3] === 'previous';
    const range: [string, string] =
      unit === 'day'
        ? [addDays(back ? base.start : base.end, back ? -1 : 1), addDays(back ? base.start : base.end, back ? -1 : 1)]
        : back
          ? [addDays(base.start, -7), addDays(base.start, -1)]
          : [addDays(base.end, 1), addDays(base.end, 7)];
    out.push({ start: range[0], end: range[1], text: text.slice(from, to), index: from });
  }
  return out.sort((a, b) => a.index - b.index);
}

// "from Thursday to Saturday", "between 2017-02-01 and 2017-02-05", "Monday-Wednesday": one period, not two days.
const BEFORE_SPAN = /\b(from|between)\s*$/i;
const JOINER = /^\s*(to|until|till|through|thru|-|–)(?:\s+the)?\s*$/i;
const AND = /^\s*and\s*$/i;
// "Saturday or Sunday": a choice between two days in a row is one period (and the answer picks the better one).
const OR = /^\s*(?:or|\/)\s*$/i;

function joinSpans(text: string, found: DateRange[]): DateRange[] {
  const out: DateRange[] = [];
  for (const r of found) {
    const prev = out.at(-1);
    if (prev && r.end >= prev.start) {
      const between = text.slice(prev.index + prev.text.length, r.index);
      const opener = BEFORE_SPAN.exec(text.slice(0, prev.index))?.[1]?.toLowerCase();
      const nextDay = prev.start === prev.end && r.start === r.end && addDays(prev.end, 1) === r.start;
      if (JOINER.test(between) || (AND.test(between) && opener === 'between') || (OR.test(between) && nextDay)) {
        out[out.length - 1] = { start: prev.start, end: r.end, text: text.slice(prev.index, r.index + r.text.length), index: prev.index };
        continue;
      }
    }
    out.push(r);
  }
  return out;
}
