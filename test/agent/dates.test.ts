// The date resolver against fixed todays, including month, year and leap-day boundaries.
import { describe, expect, it } from 'vitest';
import { resolveDates, weekdayName, type Direction } from '../../src/agent/planner/dates.js';

const WED = '2017-02-22'; // a Wednesday
type Case = [phrase: string, today: string, direction: Direction, start: string, end?: string];

const CASES: Case[] = [
  ['today', WED, 'any', WED],
  ['this afternoon', WED, 'any', WED],
  ['tomorrow', WED, 'any', '2017-02-23'],
  ['tomorrow afternoon', WED, 'future', '2017-02-23'],
  ['the day after tomorrow', WED, 'future', '2017-02-24'],
  ['yesterday', WED, 'past', '2017-02-21'],
  ['the day before yesterday', WED, 'past', '2017-02-20'],
  ['in 3 days', WED, 'future', '2017-02-25'],
  ['in two days', WED, 'future', '2017-02-24'],
  ['5 days from now', WED, 'future', '2017-02-27'],
  ['two days ago', WED, 'past', '2017-02-20'],
  ['a week ago', WED, 'past', '2017-02-15'],
  ['2 weeks ago', WED, 'past', '2017-02-08'],
  ['on the 15th', WED, 'past', '2017-02-15'],
  ['on the 25th', WED, 'past', '2017-01-25'],
  ['on the 25th', WED, 'future', '2017-02-25'],
  ['on the 3rd', WED, 'future', '2017-03-03'],
  ['the twentieth', WED, 'past', '2017-02-20'],
  ['on the 31st', '2017-03-05', 'past', '2017-01-31'],
  ['on the 20th', '2017-01-05', 'past', '2016-12-20'],
  ['on the 2nd', '2016-12-20', 'future', '2017-01-02'],
  ['the first week of February 2017', WED, 'past', '2017-02-01', '2017-02-07'],
  ['the last week of January', WED, 'past', '2017-01-25', '2017-01-31'],
  ['the second week of march', WED, 'future', '2017-03-08', '2017-03-14'],
  ['in two weeks', WED, 'future', '2017-03-08'],
  ['during the last 2 weeks', WED, 'past', '2017-02-09', WED],
  ['the next two weeks', WED, 'future', '2017-02-23', '2017-03-08'],
  ["New Year's Day 2017", WED, 'past', '2017-01-01'],
  ['new years eve', WED, 'past', '2016-12-31'],
  ['christmas', WED, 'past', '2016-12-25'],
  ['Valentine’s Day', WED, 'past', '2017-02-14'],
  ['next monday', WED, 'future', '2017-02-27'],
  ['next friday', WED, 'future', '2017-03-03'],
  ['this friday', WED, 'any', '2017-02-24'],
  ['on Friday', WED, 'future', '2017-02-24'],
  ['on Wednesday', WED, 'future', '2017-03-01'],
  ['on Monday', WED, 'past', '2017-02-20'],
  ['last friday', WED, 'past', '2017-02-17'],
  ['last wednesday', WED, 'past', '2017-02-15'],
  ['this weekend', WED, 'future', '2017-02-25', '2017-02-26'],
  ['next weekend', WED, 'future', '2017-03-04', '2017-03-05'],
  ['last weekend', WED, 'past', '2017-02-18', '2017-02-19'],
  ['this week', WED, 'any', '2017-02-20', '2017-02-26'],
  ['next week', WED, 'future', '2017-02-27', '2017-03-05'],
  ['last week', WED, 'past', '2017-02-13', '2017-02-19'],
  ['the past 10 days', WED, 'past', '2017-02-13', WED],
  ['the next 3 days', WED, 'future', '2017-02-23', '2017-02-25'],
  ['2017-02-14', WED, 'any', '2017-02-14'],
  ['2016/12/31', WED, 'any', '2016-12-31'],
  ['14.02.2017', WED, 'any', '2017-02-14'],
  ['02/14/2017', WED, 'any', '2017-02-14'],
  ['February 14', WED, 'past', '2017-02-14'],
  ['Feb 14th 2016', WED, 'any', '2016-02-14'],
  ['the 3rd of March', WED, 'future', '2017-03-03'],
  ['the first of February', WED, 'past', '2017-02-01'],
  ['the twenty-first of January', WED, 'past', '2017-01-21'],
  ['March the second', WED, 'future', '2017-03-02'],
  ['tommorow', WED, 'future', '2017-02-23'],
  ['the day after tomorow', WED, 'future', '2017-02-24'],
  ['from Thursday to Saturday', WED, 'future', '2017-02-23', '2017-02-25'],
  ['between 2017-02-01 and 2017-02-05', WED, 'any', '2017-02-01', '2017-02-05'],
  ['from 2017-02-01 until 2017-02-07', WED, 'any', '2017-02-01', '2017-02-07'],
  ['in January', WED, 'past', '2017-01-01', '2017-01-31'],
  ['in March', WED, 'past', '2016-03-01', '2016-03-31'],
  ['December 2016', WED, 'any', '2016-12-01', '2016-12-31'],
  ['last month', WED, 'past', '2017-01-01', '2017-01-31'],
  // Month and year boundaries.
  ['tomorrow', '2016-12-31', 'future', '2017-01-01'],
  ['yesterday', '2017-01-01', 'past', '2016-12-31'],
  ['next week', '2016-12-28', 'future', '2017-01-02', '2017-01-08'],
  ['last month', '2017-01-15', 'past', '2016-12-01', '2016-12-31'],
  ['next month', '2016-12-15', 'future', '2017-01-01', '2017-01-31'],
  ['in 3 days', '2016-02-27', 'future', '2016-03-01'],
  ['in February', '2016-03-10', 'past', '2016-02-01', '2016-02-29'],
  ['December 30', '2017-01-02', 'past', '2016-12-30'],
  ['January 3', '2016-12-30', 'future', '2017-01-03'],
  // Parts of months, fortnights, "so far", the coming week, the weekend just gone.
  ['in the first half of January', WED, 'past', '2017-01-01', '2017-01-15'],
  ['in the second half of last month', '2016-12-19', 'past', '2016-11-16', '2016-11-30'],
  ['the latter half of February 2016', WED, 'any', '2016-02-16', '2016-02-29'],
  ['in the middle third of March 2016', WED, 'any', '2016-03-11', '2016-03-20'],
  ['the last third of this month', WED, 'past', '2017-02-21', '2017-02-28'],
  ['in early January', WED, 'past', '2017-01-01', '2017-01-10'],
  ['in mid-December', WED, 'past', '2016-12-11', '2016-12-20'],
  ['at the end of last month', WED, 'past', '2017-01-21', '2017-01-31'],
  ['in January so far', '2017-01-05', 'past', '2017-01-01', '2017-01-05'],
  ['January has been so far', '2017-01-05', 'past', '2017-01-01', '2017-01-05'],
  ['so far this month', WED, 'past', '2017-02-01', WED],
  ['over the past fortnight', WED, 'past', '2017-02-09', WED],
  ['the next fortnight', WED, 'future', '2017-02-23', '2017-03-08'],
  ['a fortnight ago', WED, 'past', '2017-02-08'],
  ['the coming week', WED, 'future', '2017-02-23', '2017-03-01'],
  ['over the week ahead', WED, 'future', '2017-02-23', '2017-03-01'],
  ['over the weekend', '2017-02-20', 'past', '2017-02-18', '2017-02-19'],
  ['over the weekend', '2017-02-20', 'future', '2017-02-25', '2017-02-26'],
  ['this weekend', '2017-02-20', 'past', '2017-02-25', '2017-02-26'],
  ['last year', WED, 'past', '2016-01-01', '2016-12-31'],
  // Holidays: fixed days, Easter by the computus, Chinese festivals by the Chinese calendar.
  ['on Christmas Eve', WED, 'past', '2016-12-24'],
  ['at Easter 2016', WED, 'any', '2016-03-27'],
  ['on Good Friday', WED, 'future', '2017-04-14'],
  ['at Chinese New Year', WED, 'past', '2017-01-28'],
  ['on Lunar New Year 2016', WED, 'any', '2016-02-08'],
  ["on lunar new year's eve", '2015-03-02', 'past', '2015-02-18'],
  ['at the Mid-Autumn Festival', WED, 'past', '2016-09-15'],
  ['during the Dragon Boat Festival 2016', WED, 'any', '2016-06-09'],
  // A year said after the date; short weekday names; "from today" counted from today.
  ['at Easter last year', WED, 'past', '2016-03-27'],
  ["on New Year's Day this year", WED, 'past', '2017-01-01'],
  ['in January last year', WED, 'past', '2016-01-01', '2016-01-31'],
  ['on wed', '2017-02-20', 'future', WED],
  ['next fri', WED, 'future', '2017-03-03'],
  ['a week from today', WED, 'future', '2017-03-01'],
  ['so far in January', '2017-01-05', 'past', '2017-01-01', '2017-01-05'],
  ['within 3 days', WED, 'future', '2017-02-23', '2017-02-25'],
  ['within two weeks', WED, 'future', '2017-02-23', '2017-03-08'],
  ['in the last 2 weeks of April 2016', WED, 'any', '2016-04-17', '2016-04-30'],
  ['the first 10 days of March 2016', WED, 'any', '2016-03-01', '2016-03-10'],
];

describe('resolveDates', () => {
  it.each(CASES)('"%s" on %s (%s) is %s', (phrase, today, direction, start, end) => {
    const found = resolveDates(`How is the air ${phrase}?`, today, direction);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ start, end: end ?? start });
    expect(phrase.toLowerCase()).toContain(found[0]!.text.toLowerCase().replace(/^(on|the) /, ''));
  });

  it('finds several periods in order and leaves words that are not dates alone', () => {
    const found = resolveDates('Compare last week with the week before', WED, 'past');
    expect(found.map((f) => [f.start, f.end])).toEqual([
      ['2017-02-13', '2017-02-19'],
      ['2017-02-06', '2017-02-12'],
    ]);
    expect(resolveDates('It may be hazy; is a mask worth it?', WED)).toEqual([]);
    // "and" joins two dates into a period only after "between".
    expect(resolveDates('yesterday and tomorrow', WED).map((f) => f.start)).toEqual(['2017-02-21', '2017-02-23']);
    expect(resolveDates('Is 2017-02-30 clean?', WED)).toEqual([]);
  });

  it('reads each clause of a question in its own tense, and counts "the day before" from the date before it', () => {
    const past = (i: number) => (i < 20 ? 'past' : 'future');
    expect(resolveDates('how did it do on sunday, and what is saturday like', WED, past).map((f) => f.start)).toEqual(['2017-02-19', '2017-02-25']);
    expect(resolveDates('yesterday compared with the day before', WED, 'past').map((f) => f.start)).toEqual(['2017-02-21', '2017-02-20']);
    // With no date before it, "the day before" counts from the chat's period (the anchor), else it is no date.
    expect(resolveDates('and the day before?', WED, 'any', { start: '2017-02-24', end: '2017-02-24' }).map((f) => f.start)).toEqual(['2017-02-23']);
    expect(resolveDates('and the week after?', WED, 'any', { start: '2017-02-13', end: '2017-02-19' }).map((f) => [f.start, f.end])).toEqual([
      ['2017-02-20', '2017-02-26'],
    ]);
    expect(resolveDates('and the day before?', WED)).toEqual([]);
    // "until the end of the month" closes a period; "Saturday or Sunday" is one; "sat and sun" two days; "the sun" no day.
    expect(resolveDates('from the day after tomorrow until the end of the month', WED, 'future').map((f) => [f.start, f.end])).toEqual([
      ['2017-02-24', '2017-02-28'],
    ]);
    expect(resolveDates('saturday or sunday', WED, 'future').map((f) => [f.start, f.end])).toEqual([['2017-02-25', '2017-02-26']]);
    expect(resolveDates('for sat and sun', WED, 'future').map((f) => f.start)).toEqual(['2017-02-25', '2017-02-26']);
    expect(resolveDates('is the sun out', WED, 'future')).toEqual([]);
    expect(resolveDates("c'mon, is the air ok", WED, 'future')).toEqual([]);
    expect(resolveDates('the second worst day last month', WED, 'past').map((f) => [f.start, f.end])).toEqual([['2017-01-01', '2017-01-31']]);
    expect(resolveDates('January this year against January last year', WED, 'past').map((f) => f.start)).toEqual(['2017-01-01', '2016-01-01']);
  });

  it('names weekdays', () => {
    expect([WED, '2017-02-26', '2017-02-27'].map(weekdayName)).toEqual(['Wednesday', 'Sunday', 'Monday']);
  });
});
