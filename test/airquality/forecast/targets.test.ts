// Forecast targets: every observed day becomes the label of the 1-7 forecasts that should have predicted it.
import { describe, expect, it } from 'vitest';
import { targetRow, targetRows } from '../../../src/airquality/forecast/targets.js';

describe('forecast targets', () => {
  it('makes one target per horizon whose issue date lies within the data', () => {
    const obs = [
      { location_id: 'a', date: '2024-01-01', pm25: 10 },
      { location_id: 'a', date: '2024-01-03', pm25: 30 },
      { location_id: 'a', date: '2024-01-09', pm25: null },
      { location_id: 'a', date: '2024-01-10', pm25: 90 },
    ];
    const rows = targetRows(obs);
    // 2024-01-01 is the first day: nothing was known before it. 01-03: issued 01-02 and 01-01.
    // 01-09 has no measurement. 01-10: issued 01-09 back to 01-03 (h = 1..7).
    expect(rows.filter((r) => r.date === '2024-01-03').map((r) => [r.issue_date, r.days_ahead])).toEqual([
      ['2024-01-02', 1],
      ['2024-01-01', 2],
    ]);
    expect(rows.filter((r) => r.date === '2024-01-10').map((r) => r.days_ahead)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(rows).toHaveLength(9);
    expect(rows.every((r) => r.pm25 !== null)).toBe(true);
  });

  it('derives the join keys of the two days before and the day of the year', () => {
    expect(targetRow('a', '2024-02-28', 2, null)).toEqual({
      location_id: 'a',
      issue_date: '2024-02-28',
      date: '2024-03-01',
      days_ahead: 2,
      day_before: '2024-02-29',
      two_days_before: '2024-02-28',
      day_of_year: 61, // 2024 is a leap year
      pm25: null,
    });
    expect(targetRow('a', '2022-12-30', 2, 1).day_of_year).toBe(1);
  });
});
