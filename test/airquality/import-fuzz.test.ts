// Property-based fuzzing of both importers: any mutation of a valid file ends in a result or a typed error, and a refused file never changes the store.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { runBeijing } from '../../src/airquality/pipelines/beijing-pipeline.js';
import { importAqicn } from '../../src/airquality/pipelines/import-aqicn.js';
import { readAqicnCsv } from '../../src/airquality/sources/aqicn-csv.js';
import { readBeijingStation } from '../../src/airquality/sources/beijing.js';
import { BadRows } from '../../src/airquality/sources/import-checks.js';
import type { FeatureStore } from '../../src/store/index.js';
import { dataDir } from '../helpers/data.js';
import { beijingLines, beijingName } from '../helpers/import-files.js';
import { tempDir, tempStore } from '../helpers/tmp.js';

const SEED = 220_022;
const beijing = dataDir('beijing');

const garbage = fc.oneof(
  fc.constantFrom(
    'NA',
    '',
    '-1',
    '0.5',
    '99',
    '24',
    '2999',
    '1900',
    '13',
    '0',
    '1e309',
    'NaN',
    'Infinity',
    '"',
    '""',
    '0x10',
    ' 7',
    'N',
    '\u0000',
    '9'.repeat(30),
  ),
  fc.string({ maxLength: 8 }),
);

/** One edit of a CSV: a field dropped, added or replaced, a line doubled or removed, a station swapped, bytes inserted. */
type Mutation =
  | { kind: 'drop' | 'dup' | 'del'; line: number; field: number }
  | { kind: 'add' | 'set' | 'station'; line: number; field: number; text: string }
  | { kind: 'bytes'; at: number; bytes: Uint8Array };

const line = fc.nat({ max: 1000 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('drop' as const, 'dup' as const, 'del' as const), line, field: fc.nat({ max: 30 }) }),
  fc.record({ kind: fc.constantFrom('add' as const, 'set' as const), line, field: fc.nat({ max: 30 }), text: garbage }),
  fc.record({
    kind: fc.constant('station' as const),
    line,
    field: fc.constant(0),
    text: fc.constantFrom('"Dongsi"', 'Dongsi', '"aotizhongxin"', '', '2024/1/1'),
  }),
  fc.record({ kind: fc.constant('bytes' as const), at: fc.nat({ max: 100_000 }), bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }) }),
);

function applyTo(lines: readonly string[], m: Mutation, stationField: number): Buffer | string[] {
  if (m.kind === 'bytes') {
    const buf = Buffer.from(lines.join('\n'));
    const at = m.at % (buf.length + 1);
    return Buffer.concat([buf.subarray(0, at), Buffer.from(m.bytes), buf.subarray(at)]);
  }
  const out = [...lines];
  const i = m.line % out.length;
  const v = out[i]!.split(',');
  const f = m.field % v.length;
  if (m.kind === 'dup') out.splice(i, 0, out[i]!);
  else if (m.kind === 'del') out.splice(i, 1);
  else {
    if (m.kind === 'drop') v.splice(f, 1);
    else if (m.kind === 'add') v.splice(f, 0, m.text);
    else if (m.kind === 'set' || m.kind === 'station') v[m.kind === 'station' ? stationField % v.length : f] = m.text;
    out[i] = v.join(',');
  }
  return out;
}

/** Writes `lines` edited by `mutations` to `file`. */
function writeMutated(file: string, lines: readonly string[], mutations: readonly Mutation[], stationField: number): void {
  let cur: Buffer | string[] = [...lines];
  for (const m of mutations) cur = Buffer.isBuffer(cur) ? applyTo(cur.toString('utf8').split('\n'), m, stationField) : applyTo(cur, m, stationField);
  writeFileSync(file, Buffer.isBuffer(cur) ? cur : `${cur.join('\n')}\n`);
}

/** Runs `fn`; a thrown value must be one of the project's typed errors (never a TypeError or a RangeError). */
function typedOrResult<T>(fn: () => T): T | AppError {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof AppError)) throw new Error(`not a typed error: ${String(e)}`, { cause: e });
    return e;
  }
}

/** What a refused import must not change: the last commit and the stored rows. */
async function snapshot(store: FeatureStore): Promise<string> {
  const groups = await Promise.all(store.listFeatureGroups().map(async (g) => [g.name, await g.selectAll().read()] as const));
  return JSON.stringify({ last: store.lastCommitId, groups, today: store.getProperty('today') });
}

const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });

describe.skipIf(!beijing)('fuzzing the Beijing importer (a real 30-hour slice)', () => {
  let lines: string[] | undefined;
  const base = () => (lines ??= beijingLines(beijing!, 'Aotizhongxin', 30));
  const STATION = 17; // the last column

  it('parses any mutation into checked hours or a typed error, in both modes', () => {
    const dir = tempDir();
    const file = join(dir, beijingName('Aotizhongxin'));
    fc.assert(
      fc.property(mutations, (ms) => {
        writeMutated(file, base(), ms, STATION);
        const strict = typedOrResult(() => readBeijingStation(file));
        const bad = new BadRows();
        const lenient = typedOrResult(() => readBeijingStation(file, {}, bad));
        for (const hours of [strict, lenient]) {
          if (hours instanceof AppError) continue;
          const keys = new Set(hours.map((h) => `${h.date} ${h.hour}`));
          expect(keys.size).toBe(hours.length);
          for (const h of hours) {
            expect(h.station).toBe('Aotizhongxin');
            expect(Number.isInteger(h.hour) && h.hour >= 0 && h.hour <= 23).toBe(true);
            expect(h.date).toMatch(/^(19[7-9]\d|2\d{3})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);
            for (const x of [h.pm25, h.pm10, h.no2, h.rain, h.wspm]) expect(x === null || x >= 0).toBe(true);
          }
        }
        if (!(strict instanceof AppError)) expect(bad.count).toBe(0); // accepted strictly: nothing to skip
      }),
      { numRuns: 200, seed: SEED },
    );
  });

  it('a refused file never changes the store', async () => {
    const store = await tempStore();
    const dir = tempDir();
    writeFileSync(join(dir, beijingName('Aotizhongxin')), `${base().join('\n')}\n`);
    await runBeijing(store, dir);
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(mutations, fc.boolean(), async (ms, skip) => {
        writeMutated(join(dir, beijingName('Aotizhongxin')), base(), ms, STATION);
        const before = await snapshot(store);
        try {
          await runBeijing(store, dir, { skipBadRows: skip });
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
          expect(await snapshot(store)).toBe(before);
          refused++;
        }
      }),
      { numRuns: 20, seed: SEED },
    );
    expect(refused).toBeGreaterThan(3); // the mutations do reach the refusals
  });
});

describe('fuzzing the aqicn importer (both header styles)', () => {
  const simple = ['date, pm25, pm10, no2', '2024/1/1, 50, 54, 50', '2024/1/2, , 51, 51', '2024/1/3, 100, 50, ', '2024/1/4, 20, 20, 20'];
  const stats = [
    'date,min,max,pm25,q1,q3,stdev,count',
    '2019-07-12T00:00:00.000Z,6.61,26,14.19,11.65,17.22,3.484,264',
    '2019-07-13T00:00:00.000Z,8.94,46.94,15.06,12.67,17.61,3.9,715',
  ];

  it('parses any mutation into checked days or a typed error, in both modes', () => {
    const file = join(tempDir(), 'feed.csv');
    fc.assert(
      fc.property(fc.constantFrom(simple, stats), mutations, (base, ms) => {
        writeMutated(file, base, ms, 0);
        const strict = typedOrResult(() => readAqicnCsv(file));
        const lenient = typedOrResult(() => readAqicnCsv(file, new BadRows()));
        for (const days of [strict, lenient]) {
          if (days instanceof AppError) continue;
          expect(new Set(days.map((d) => d.date)).size).toBe(days.length);
          for (const d of days) {
            expect(d.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
            for (const x of [d.pm25, d.pm25Max, d.pm10, d.no2]) expect(x === null || (Number.isFinite(x) && x >= 0)).toBe(true);
          }
        }
      }),
      { numRuns: 200, seed: SEED },
    );
  });

  it('a refused file never changes the store', async () => {
    const store = await tempStore();
    const file = join(tempDir(), 'feed.csv');
    const location = { location_id: 'fuzz', name: 'Fuzz', latitude: 1, longitude: 2 };
    writeFileSync(file, `${simple.join('\n')}\n`);
    await importAqicn(store, file, location);
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(mutations, fc.boolean(), async (ms, skip) => {
        writeMutated(file, simple, ms, 0);
        const before = await snapshot(store);
        try {
          await importAqicn(store, file, location, { skipBadRows: skip });
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
          expect(await snapshot(store)).toBe(before);
          refused++;
        }
      }),
      { numRuns: 30, seed: SEED },
    );
    expect(refused).toBeGreaterThan(3);
  });
});
