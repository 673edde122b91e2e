// `airq import` with bad files: each kind refused with file, line and column and the store unchanged; --skip-bad-rows, nulls over values, --check.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { airq, lastJson, runCli } from '../helpers/cli.js';
import { dataDir } from '../helpers/data.js';
import { beijingLines, beijingName, setField, storeState, writeBeijing } from '../helpers/import-files.js';
import { tempDir } from '../helpers/tmp.js';

const beijing = dataDir('beijing');
const aqicn = dataDir('aqicn');
const FILE = beijingName('Aotizhongxin');
const MEASURES = ['PM2.5', 'PM10', 'SO2', 'NO2', 'CO', 'O3', 'TEMP', 'PRES', 'DEWP', 'RAIN', 'wd', 'WSPM'];

/** A store kept for a whole describe block (removed in afterAll). */
function fileStore(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'airq-import-store-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const rowsOf = async (store: string, group: string) =>
  lastJson(await airq(['fg', 'read', group, '--limit', '10000', '--json', '--store', store])).rows as Record<string, unknown>[];

/** Every measured field of file lines from..to set to NA. */
function allNA(lines: string[], from: number, to: number): string[] {
  let out = lines;
  for (let n = from; n <= to; n++) for (const c of MEASURES) out = setField(out, n, c, 'NA');
  return out;
}

describe.skipIf(!beijing)('airq import beijing with bad files', () => {
  const good = () => beijingLines(beijing!, 'Aotizhongxin', 48); // 2013-03-01 and 02
  const seeded = fileStore();
  let before = '';
  beforeAll(async () => {
    expect((await airq(['import', 'beijing', writeBeijing(good()), '--store', seeded.dir])).code).toBe(0);
    before = await storeState(seeded.dir);
  }, 60_000);
  afterAll(() => seeded.remove());

  it.each([
    ['a short row', (l: string[]) => l.map((x, i) => (i === 4 ? x.slice(0, x.lastIndexOf(',')) : x)), `${FILE} line 5: 17 fields, the header has 18`],
    ['a second station', (l: string[]) => setField(l, 30, 'station', '"Dongsi"'), `${FILE} line 30, column "station": "Dongsi" is not this file's station`],
    ['a duplicated hour', (l: string[]) => [...l, l[3]!], `${FILE} line 50, column "hour": 2013-03-01 hour 2 again (first at line 4)`],
    ['year 2999', (l: string[]) => setField(l, 7, 'year', '2999'), `${FILE} line 7, column "year": "2999" is not a year from 1970 to`],
    ['year 1900', (l: string[]) => setField(l, 7, 'year', '1900'), `${FILE} line 7, column "year": "1900" is not a year from 1970 to`],
    ['hour 99', (l: string[]) => setField(l, 10, 'hour', '99'), `${FILE} line 10, column "hour": "99" is not an hour (0-23)`],
    ['hour 0.5', (l: string[]) => setField(l, 10, 'hour', '0.5'), `${FILE} line 10, column "hour": "0.5" is not an hour (0-23)`],
    ['a negative PM2.5', (l: string[]) => setField(l, 11, 'PM2.5', '-1'), `${FILE} line 11, column "PM2.5": -1 is outside 0 to 1000 µg/m³`],
  ])('refuses %s, naming file, line and column, and the store is unchanged', async (_, edit, message) => {
    const r = await airq(['import', 'beijing', writeBeijing(edit(good())), '--store', seeded.dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`airq: ${message}`);
    expect(r.stderr).toMatch(/refused, nothing was written: 1 bad row .*--skip-bad-rows/);
    expect(await storeState(seeded.dir)).toBe(before);
  });

  it('keeps stored values over a file of NA (and says how many), and replaces them with --allow-nulls-over-values', async () => {
    const store = tempDir();
    expect((await airq(['import', 'beijing', writeBeijing(good()), '--store', store])).code).toBe(0);
    const held = await storeState(store);
    const nulls = writeBeijing(allNA(good(), 26, 49)); // 2013-03-02, every hour
    const kept = lastJson(await airq(['import', 'beijing', nulls, '--store', store, '--json']));
    expect(kept).toMatchObject({ nulled: 0, commits: { air_quality: null, weather: null, air_quality_lags: null } });
    expect(kept.kept).toBeGreaterThanOrEqual(4 + 9); // pm25, pm25_max, pm10, no2 and the weather of the day
    expect(await storeState(store)).toBe(held);
    const replaced = lastJson(await airq(['import', 'beijing', nulls, '--store', store, '--json', '--allow-nulls-over-values']));
    expect(replaced).toMatchObject({ kept: 0, changes: { air_quality: { updated: 1, unchanged: 1 } } });
    const day = (await rowsOf(store, 'air_quality')).find((r) => r.date === '2013-03-02')!;
    expect(day).toMatchObject({ pm25: null, hours_measured: 0 });
  });

  it('--skip-bad-rows imports the good rows and counts the bad ones by reason', async () => {
    const store = tempDir();
    expect((await airq(['import', 'beijing', writeBeijing(good()), '--store', store])).code).toBe(0);
    let lines = beijingLines(beijing!, 'Aotizhongxin', 72); // a third day
    lines = setField(setField(lines, 60, 'hour', '99'), 61, 'station', '"Dongsi"');
    lines = [...lines, lines[65]!];
    const dir = writeBeijing(lines);
    const r = await airq(['import', 'beijing', dir, '--store', store, '--skip-bad-rows']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/skipped 3 bad rows \(hour 1, station 1, duplicate 1\)/);
    const json = lastJson(await airq(['import', 'beijing', dir, '--store', store, '--skip-bad-rows', '--json']));
    expect(json.bad_rows).toEqual({ total: 3, by_reason: { hour: 1, station: 1, duplicate: 1 } });
    const day3 = (await rowsOf(store, 'air_quality')).find((r) => r.date === '2013-03-03')!;
    expect(day3).toMatchObject({ hours_measured: 22 }); // 24 hours less the two bad rows; the duplicate counted once
  });

  it('--check reports what would change and writes nothing; with no store there, it makes none', async () => {
    const lines = allNA(beijingLines(beijing!, 'Aotizhongxin', 72), 26, 49);
    const dir = writeBeijing(lines);
    const r = await airq(['import', 'beijing', dir, '--store', seeded.dir, '--check', '--json']);
    expect(r.code).toBe(0);
    expect(lastJson(r)).toMatchObject({ checked: true, changes: { air_quality: { new: 1, updated: 0, unchanged: 2, kept: 4 } } });
    expect(lastJson(r)).not.toHaveProperty('commits');
    expect(await storeState(seeded.dir)).toBe(before);
    const nowhere = join(tempDir(), 'no-store-here');
    const fresh = await airq(['import', 'beijing', dir, '--store', nowhere, '--check']);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toMatch(/^would import 1 stations, 72 hourly rows -> 3 station-days \(checked in .* s; nothing was written\)/);
    expect(fresh.stdout).toMatch(/air_quality {7}would be 3 new, 0 updated, 0 unchanged/);
    expect(existsSync(nowhere)).toBe(false);
    const bad = await airq(['import', 'beijing', writeBeijing(setField(lines, 5, 'hour', '24')), '--store', nowhere, '--check']);
    expect([bad.code, existsSync(nowhere)]).toEqual([1, false]);
    expect(bad.stderr).toContain(`airq: ${FILE} line 5, column "hour": "24" is not an hour (0-23)`);
  });

  it('the built command lists the first bad rows, counts the rest, and exits 1', () => {
    let lines = good();
    for (let n = 2; n <= 13; n++) lines = setField(lines, n, 'PM2.5', 'lots');
    const r = runCli(['import', 'beijing', writeBeijing(lines), '--store', seeded.dir]);
    expect(r.code).toBe(1);
    const err = r.stderr.trim().split('\n');
    expect(err.at(-1)).toMatch(
      /^airq: .* line 2, column "PM2.5": "lots" is not a number \(a missing value is NA or blank\) — refused, nothing was written: 12 bad rows/,
    );
    expect(err.filter((l) => l.startsWith(`  ${FILE} line `))).toHaveLength(9);
    expect(err).toContain('  … and 2 more bad rows');
  });
});

describe.skipIf(!aqicn)('airq import aqicn with bad files (the real Stockholm export)', () => {
  const real = () => readFileSync(join(aqicn!, 'stockholm-hornsgatan-108.csv'), 'utf8').replace(/\n$/, '').split('\n');
  const write = (lines: string[]) => {
    const file = join(tempDir(), 'hornsgatan.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  };
  const args = (file: string, store: string) => [
    'import',
    'aqicn',
    file,
    '--location',
    'hornsgatan',
    '--name',
    'Hornsgatan',
    '--lat',
    '59.3',
    '--lon',
    '18.0',
    '--store',
    store,
  ];
  const seeded = fileStore();
  let before = '';
  beforeAll(async () => {
    expect((await airq(args(write(real()), seeded.dir))).code).toBe(0);
    before = await storeState(seeded.dir);
  }, 60_000);
  afterAll(() => seeded.remove());

  it.each([
    ['a short row', (l: string[]) => [...l, '2026/1/1, 5'], 'hornsgatan.csv line 2816: 2 fields, the header has 4'],
    ['a date given twice', (l: string[]) => [...l, l[1]!], 'hornsgatan.csv line 2816, column "date": 2025-07-01 again (first at line 2)'],
    ['year 2999', (l: string[]) => [...l, '2999/1/1, 5, 5, 5'], 'hornsgatan.csv line 2816, column "date": cannot read the date "2999/1/1"'],
    [
      'a negative value',
      (l: string[]) => l.map((x, i) => (i === 3 ? '2025/7/3, -22, 8, 4' : x)),
      'hornsgatan.csv line 4, column "pm25": -22 is outside 0 to 10000 AQI',
    ],
  ])('refuses %s and the store is unchanged', async (_, edit, message) => {
    const r = await airq(args(write(edit(real())), seeded.dir));
    expect([r.code, r.stderr]).toEqual([1, expect.stringContaining(`airq: ${message}`)]);
    expect(await storeState(seeded.dir)).toBe(before);
  });

  it('keeps a stored value over a blank unless --allow-nulls-over-values; --check and --skip-bad-rows say so', async () => {
    const store = tempDir();
    expect((await airq(args(write(real()), store))).code).toBe(0);
    const blanked = write([...real().map((x, i) => (i === 1 ? '2025/7/1, , 19, 8' : x)), 'not a date, 1, 1, 1']); // 2025/7/1 had PM2.5 AQI 14
    const check = lastJson(await airq([...args(blanked, store), '--check', '--skip-bad-rows', '--json']));
    expect(check).toMatchObject({ kept: 1, bad_rows: { total: 1, by_reason: { date: 1 } }, changes: { air_quality: { updated: 0, kept: 1 } } });
    const kept = lastJson(await airq([...args(blanked, store), '--skip-bad-rows', '--json']));
    expect(kept).toMatchObject({ kept: 1, commits: { air_quality: null } });
    expect((await rowsOf(store, 'air_quality')).find((r) => r.date === '2025-07-01')).toMatchObject({ pm25: 3.4 });
    await airq([...args(blanked, store), '--skip-bad-rows', '--allow-nulls-over-values']);
    expect((await rowsOf(store, 'air_quality')).find((r) => r.date === '2025-07-01')).toMatchObject({ pm25: null, pm10: 21 });
  });
});
