// The importers' row checks over small files made from a real station slice and hand-written aqicn exports: each bad row is named by file, line and column.
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { airQualityRow, byDate } from '../../src/airquality/pipelines/daily-rows.js';
import { readAqicnCsv } from '../../src/airquality/sources/aqicn-csv.js';
import { beijingFiles, readBeijingStation, type BeijingHour } from '../../src/airquality/sources/beijing.js';
import { BadRows, BadRowsError, yearRange } from '../../src/airquality/sources/import-checks.js';
import { dataDir } from '../helpers/data.js';
import { beijingLines, beijingName, setField, writeBeijing } from '../helpers/import-files.js';
import { tempDir } from '../helpers/tmp.js';

const beijing = dataDir('beijing');
const FILE = beijingName('Aotizhongxin');

/** The error readBeijingStation throws for `lines`, as a message. */
function refusal(lines: string[]): string {
  const dir = writeBeijing(lines);
  try {
    readBeijingStation(join(dir, FILE));
  } catch (e) {
    expect(e).toBeInstanceOf(BadRowsError);
    return (e as Error).message;
  }
  throw new Error('the file was not refused');
}

describe.skipIf(!beijing)('Beijing rows (a real 2-day slice, edited)', () => {
  const good = () => beijingLines(beijing!, 'Aotizhongxin', 48);
  const next = yearRange().max;

  it('reads the untouched slice', () => {
    const hours = readBeijingStation(join(writeBeijing(good()), FILE));
    expect(hours).toHaveLength(48);
    expect(hours[0]).toMatchObject({ station: 'Aotizhongxin', date: '2013-03-01', hour: 0, pm25: 4, wd: 'NNW' });
  });

  it.each([
    ['a short row', (l: string[]) => l.map((x, i) => (i === 4 ? x.slice(0, x.lastIndexOf(',')) : x)), `${FILE} line 5: 17 fields, the header has 18`],
    ['a long row', (l: string[]) => l.map((x, i) => (i === 4 ? `${x},1` : x)), `${FILE} line 5: 19 fields, the header has 18`],
    [
      'another station',
      (l: string[]) => setField(l, 6, 'station', '"Dongsi"'),
      `${FILE} line 6, column "station": "Dongsi" is not this file's station (Aotizhongxin, as its name says)`,
    ],
    ['a duplicated hour', (l: string[]) => [...l, l[3]!], `${FILE} line 50, column "hour": 2013-03-01 hour 2 again (first at line 4)`],
    ['year 2999', (l: string[]) => setField(l, 7, 'year', '2999'), `${FILE} line 7, column "year": "2999" is not a year from 1970 to ${next}`],
    ['year 1900', (l: string[]) => setField(l, 7, 'year', '1900'), `${FILE} line 7, column "year": "1900" is not a year from 1970 to ${next}`],
    ['month 13', (l: string[]) => setField(l, 8, 'month', '13'), `${FILE} line 8, column "month": "13" is not a month (1-12)`],
    [
      '30 February',
      (l: string[]) => setField(setField(l, 9, 'month', '2'), 9, 'day', '30'),
      `${FILE} line 9, column "day": "30" is not a day of 2013-02 (1-28)`,
    ],
    ['hour 99', (l: string[]) => setField(l, 10, 'hour', '99'), `${FILE} line 10, column "hour": "99" is not an hour (0-23)`],
    ['hour -1', (l: string[]) => setField(l, 10, 'hour', '-1'), `${FILE} line 10, column "hour": "-1" is not an hour (0-23)`],
    ['hour 0.5', (l: string[]) => setField(l, 10, 'hour', '0.5'), `${FILE} line 10, column "hour": "0.5" is not an hour (0-23)`],
    ['a negative PM2.5', (l: string[]) => setField(l, 11, 'PM2.5', '-1'), `${FILE} line 11, column "PM2.5": -1 is outside 0 to 1000 µg/m³ (impossible here)`],
    [
      'a word for NO2',
      (l: string[]) => setField(l, 11, 'NO2', 'high'),
      `${FILE} line 11, column "NO2": "high" is not a number (a missing value is NA or blank)`,
    ],
    ['a boiling TEMP', (l: string[]) => setField(l, 12, 'TEMP', '99'), `${FILE} line 12, column "TEMP": 99 is outside -60 to 60 °C (impossible here)`],
    ['a bad wind direction', (l: string[]) => setField(l, 13, 'wd', '"UP"'), `${FILE} line 13, column "wd": "UP" is not a compass direction (N, NNE, ... NNW)`],
  ])('refuses %s, naming file, line and column', (_, edit, message) => {
    const reason = /fields/.test(message)
      ? 'wrong number of fields'
      : / station /.test(message)
        ? 'another station'
        : / again /.test(message)
          ? 'duplicated timestamp'
          : /"hour"/.test(message)
            ? 'bad hour'
            : /"(year|month|day)"/.test(message)
              ? 'bad date'
              : 'impossible value';
    const tail = `refused, nothing was written: 1 bad row (1 ${reason}); fix the file, or pass --skip-bad-rows to import the good rows and skip the bad ones`;
    expect(refusal(edit(good())).split('\n')).toEqual([`${message} — ${tail}`]);
  });

  it('takes NA and blanks as missing values', () => {
    const hours = readBeijingStation(join(writeBeijing(setField(setField(good(), 2, 'PM2.5', 'NA'), 2, 'TEMP', '')), FILE));
    expect(hours[0]).toMatchObject({ pm25: null, temp: null });
  });

  it('quotes the first 10 bad rows and counts the rest; with a collector it skips them, keeps the first of a duplicated hour and counts by reason', () => {
    let lines = good();
    for (let n = 2; n <= 14; n++) lines = setField(lines, n, 'hour', '24');
    const message = refusal(lines);
    expect(message.split('\n')).toHaveLength(11);
    expect(message).toMatch(/: 13 bad rows \(13 bad hour\)/);
    expect(message.split('\n').at(-1)).toBe('… and 3 more bad rows');

    const bad = new BadRows();
    const edited = [...setField(setField(good(), 20, 'station', '"Dongsi"'), 21, 'PM2.5', '-3'), setField(good(), 31, 'PM2.5', '7')[30]!];
    const hours = readBeijingStation(join(writeBeijing(edited), FILE), {}, bad);
    expect(bad.summary()).toEqual({ total: 3, by_reason: { station: 1, value: 1, duplicate: 1 } });
    expect(hours).toHaveLength(46);
    expect(hours.find((h) => h.date === '2013-03-02' && h.hour === 5)!.pm25).not.toBe(7); // the first of the two is kept
  });

  it('refuses whole files: a station not in the archive, two files of one station, missing columns, a .gz that is not gzip', () => {
    const lines = good();
    const dir = writeBeijing(lines, 'Nowhere');
    expect(() => readBeijingStation(join(dir, beijingName('Nowhere')))).toThrow(/"Aotizhongxin" is not this file's station \(Nowhere, as its name says\)/);
    const two = writeBeijing(lines);
    writeFileSync(join(two, `${FILE}.gz`), gzipSync(lines.join('\n')));
    expect(() => beijingFiles(two)).toThrow(`has two files for the station Aotizhongxin: ${FILE} and ${FILE}.gz; keep one`);
    expect(() => readBeijingStation(join(writeBeijing(['"No","year"', '1,2013']), FILE))).toThrow(/not a UCI Beijing file; missing columns month, day, hour/);
    const gz = join(tempDir(), `${FILE}.gz`);
    writeFileSync(gz, lines.join('\n'));
    expect(() => readBeijingStation(gz)).toThrow(`${FILE}.gz: not a gzip file`);
  });

  it('reads only the dates of a range, so a bad row outside it does not stop a daily run', () => {
    const lines = setField(good(), 3, 'hour', '99'); // on 2013-03-01
    expect(readBeijingStation(join(writeBeijing(lines), FILE), { from: '2013-03-02' })).toHaveLength(24);
  });
});

describe('the 18-hour rule counts distinct hours', () => {
  it('12 hours given twice are 12 hours: no daily mean', () => {
    const hour = (h: number): BeijingHour => ({
      station: 'S',
      date: '2020-01-01',
      hour: h,
      pm25: 10,
      pm10: null,
      no2: null,
      temp: null,
      pres: null,
      dewp: null,
      rain: null,
      wspm: null,
      wd: null,
    });
    const hours = [...Array.from({ length: 12 }, (_, h) => hour(h)), ...Array.from({ length: 12 }, (_, h) => hour(h))];
    const day = byDate(hours).get('2020-01-01')!;
    expect(day).toHaveLength(12);
    expect(airQualityRow('x', '2020-01-01', day)).toMatchObject({ pm25: null, hours_measured: 12 });
  });
});

describe('aqicn rows (hand-made exports)', () => {
  const write = (text: string) => {
    const file = join(tempDir(), 'feed.csv');
    writeFileSync(file, text);
    return file;
  };
  const head = 'date, pm25, pm10, no2\n2024/1/1, 50, 54, 50\n';

  it.each([
    ['a short row', `${head}2024/1/2, 50\n`, 'feed.csv line 3: 2 fields, the header has 4'],
    ['a date given twice', `${head}2024/1/1, 51, 54, 50\n`, 'feed.csv line 3, column "date": 2024-01-01 again (first at line 2)'],
    [
      'year 2999',
      `${head}2999/1/2, 50, 54, 50\n`,
      `feed.csv line 3, column "date": cannot read the date "2999/1/2": its year "2999" is not a year from 1970 to ${yearRange().max}`,
    ],
    [
      '31 April',
      `${head}2024-04-31, 50, 54, 50\n`,
      'feed.csv line 3, column "date": cannot read the date "2024-04-31": its day "31" is not a day of 2024-04 (1-30)',
    ],
    [
      'a date with garbage after it',
      `${head}2024-04-01junk, 50, 54, 50\n`,
      'feed.csv line 3, column "date": cannot read the date "2024-04-01junk" (YYYY/M/D or YYYY-MM-DD)',
    ],
    ['a negative AQI', `${head}2024/1/2, -5, 54, 50\n`, 'feed.csv line 3, column "pm25": -5 is outside 0 to 10000 AQI (impossible here)'],
    ["NA (blank is this format's missing)", `${head}2024/1/2, NA, 54, 50\n`, 'feed.csv line 3, column "pm25": "NA" is not a number (a missing value is blank)'],
    ['a PM2.5 the store cannot hold', `${head}2024/1/2, 900, 54, 50\n`, 'feed.csv line 3, column "pm25": AQI 900 is 1106.1 µg/m³, over 1000 (impossible here)'],
  ])('refuses %s', (_, text, message) => {
    expect(() => readAqicnCsv(write(text))).toThrow(message);
  });

  it('with a collector skips bad rows, keeps the first of a date given twice, and counts by reason', () => {
    const bad = new BadRows();
    const days = readAqicnCsv(write(`${head}2024/1/1, 10, 54, 50\n2024/1/2, x, 1, 1\n2024/1/3, 10\n2024/1/4, 10, 10, 10\n`), bad);
    expect(days.map((d) => d.date)).toEqual(['2024-01-01', '2024-01-04']);
    expect(days[0]!.pm25).toBe(12); // AQI 50, not the duplicate's 10
    expect(bad.summary()).toEqual({ total: 3, by_reason: { duplicate: 1, value: 1, field_count: 1 } });
  });
});
