// Calendar dates: strict validation and the integer day arithmetic used on every insert.
import { describe, expect, it } from 'vitest';
import { addDays, epochDaysToIsoDate, isIsoDate, isoDateToEpochDays } from '../../src/core/dates.js';

describe('dates', () => {
  it('agrees with Date for every day from 1600 to 2400', () => {
    const first = Math.round(Date.UTC(1600, 0, 1) / 86_400_000);
    const last = Math.round(Date.UTC(2400, 11, 31) / 86_400_000);
    let mismatches = 0;
    for (let d = first; d <= last; d++) {
      const s = new Date(d * 86_400_000).toISOString().slice(0, 10);
      if (!isIsoDate(s) || isoDateToEpochDays(s) !== d || epochDaysToIsoDate(d) !== s) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('accepts only real dates written YYYY-MM-DD', () => {
    expect(['2020-02-29', '2000-02-29', '2024-12-31'].map(isIsoDate)).toEqual([true, true, true]);
    expect(['2021-02-29', '1900-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-1-01', '20240101', ' 2024-01-01'].map(isIsoDate)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('adds days across month and year boundaries', () => {
    expect(addDays('2016-12-31', 1)).toBe('2017-01-01');
    expect(addDays('2016-03-01', -1)).toBe('2016-02-29');
  });
});
