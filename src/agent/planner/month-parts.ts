// Parts of months as people say them: halves, thirds, early/mid/late, the first or last days of a month, and "so far".
import { addDays } from '../../core/dates.js';
import { iso, lastDayOfMonth, MONTH_ALT, monthOf, monthRange, NUM, countOf, pickMonth, type Direction, type Resolver } from './calendar.js';

/** "January", "last month", "the month", "February 2017", "January last year": a month the direction picks when no year is given. */
export const MONTH_REF = `(?:(?:the )?(this|last|previous|next|coming|the) month|(${MONTH_ALT})\\.?(?:,? (\\d{4}|(?:this|last|next) year))?)`;

/** A year as written after a date: "2016", "this year", "last year", "next year". */
export function yearIn(text: string, today: string): number {
  const y = Number(today.slice(0, 4));
  if (/^\d{4}$/.test(text)) return Number(text);
  return y + (text.startsWith('last') ? -1 : text.startsWith('next') ? 1 : 0);
}

/** The [year, month] of a MONTH_REF whose three groups start at m[i]. */
export function monthRef(m: RegExpExecArray, i: number, today: string, dir: Direction): [number, number] {
  const [rel, name, year] = [m[i], m[i + 1], m[i + 2]];
  const y = Number(today.slice(0, 4));
  const mo = Number(today.slice(5, 7));
  if (rel) {
    const k = mo - 1 + (rel === 'this' || rel === 'the' ? 0 : rel === 'next' || rel === 'coming' ? 1 : -1);
    return [y + Math.floor(k / 12), (((k % 12) + 12) % 12) + 1];
  }
  if (year) return [yearIn(year, today), monthOf(name!)];
  const [start] = pickMonth(today, monthOf(name!), dir);
  return [Number(start.slice(0, 4)), Number(start.slice(5, 7))];
}

/** Days `from` to `to` (default: the month's last) of a month. */
const daysOf = (y: number, m: number, from: number, to?: number): [string, string] => [iso(y, m, from), iso(y, m, to ?? lastDayOfMonth(y, m))];
const FIRST = new Set(['first', '1st', 'early', 'beginning of', 'start of']);
const MIDDLE = new Set(['second', '2nd', 'middle', 'mid', 'middle of']);

/** A third of a month by the word that names it: days 1-10, 11-20, or 21 to the end. */
const third: Resolver = (m, t, dir) => {
  const [y, mo] = monthRef(m, 2, t, dir);
  return FIRST.has(m[1]!) ? daysOf(y, mo, 1, 10) : MIDDLE.has(m[1]!) ? daysOf(y, mo, 11, 20) : daysOf(y, mo, 21);
};

/** From a month's first day to its last or today, whichever comes first. */
const soFar = (m: RegExpExecArray, t: string): [string, string] => {
  const [y, mo] = monthRef(m, 1, t, 'past');
  const [start, end] = monthRange(y, mo);
  return [start, end < t ? end : t];
};

export const MONTH_PART_PATTERNS: [RegExp, Resolver][] = [
  [
    new RegExp(`\\b(?:the )?(first|1st|second|2nd|latter|last|back) half of ${MONTH_REF}`, 'g'),
    (m, t, dir) => {
      const [y, mo] = monthRef(m, 2, t, dir);
      return FIRST.has(m[1]!) ? daysOf(y, mo, 1, 15) : daysOf(y, mo, 16);
    },
  ],
  [new RegExp(`\\b(?:the )?(first|1st|second|2nd|middle|third|3rd|last|final) third of ${MONTH_REF}`, 'g'), third],
  [new RegExp(`\\b(early|beginning of|start of|mid|middle of|late|end of)[- ]${MONTH_REF}`, 'g'), third],
  [
    // "the first 10 days of March", "the last 2 weeks of April".
    new RegExp(`\\b(?:the )?(first|last) ${NUM} (days?|weeks?) of ${MONTH_REF}`, 'g'),
    (m, t, dir) => {
      const [y, mo] = monthRef(m, 4, t, dir);
      const [start, end] = monthRange(y, mo);
      const n = countOf(m[2]!) * (m[3]!.startsWith('week') ? 7 : 1);
      return m[1] === 'first'
        ? [start, addDays(start, n - 1) < end ? addDays(start, n - 1) : end]
        : [addDays(end, 1 - n) > start ? addDays(end, 1 - n) : start, end];
    },
  ],
  [new RegExp(`\\b(?:in )?${MONTH_REF}(?: (?:has|have|had|been|was|is|gone|looked|looking))* so far\\b`, 'g'), soFar],
  [new RegExp(`\\bso far (?:in |this )?${MONTH_REF}`, 'g'), soFar],
];
