// Real data: every hourly row of ../shared/data/beijing through insert, read back with the same counts and sums.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import type { InputRow } from '../../src/store/index.js';
import { dataDir } from '../helpers/data.js';
import { tempStore } from '../helpers/tmp.js';

const dir = dataDir('beijing');
const NUMERIC = ['PM2.5', 'PM10', 'SO2', 'NO2', 'CO', 'O3', 'TEMP', 'PRES', 'DEWP', 'RAIN', 'WSPM'];
const feature = (csvName: string) => csvName.toLowerCase().replace('.', '');

/** Our own CSV reading, to build the rows; the expected totals come from DuckDB's read_csv instead. */
function parseStation(file: string): InputRow[] {
  const lines = gunzipSync(readFileSync(file)).toString('utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(',').map((h) => h.replaceAll('"', ''));
  const at = (name: string) => header.indexOf(name);
  return lines.slice(1).map((line) => {
    const f = line.split(',').map((v) => v.replaceAll('"', ''));
    const hourUtc = Date.UTC(+f[at('year')]!, +f[at('month')]! - 1, +f[at('day')]!, +f[at('hour')]! - 8); // Beijing is UTC+8
    const row: InputRow = { station: f[at('station')]!, time: new Date(hourUtc), wd: f[at('wd')] === 'NA' ? null : f[at('wd')]! };
    for (const n of NUMERIC) row[feature(n)] = f[at(n)] === 'NA' ? null : Number(f[at(n)]);
    return row;
  });
}

async function expectedTotals(files: string[]) {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const list = files.map((f) => `'${f}'`).join(', ');
  const reader = await conn.runAndReadAll(
    `SELECT station, count(*)::INTEGER AS n, count("PM2.5")::INTEGER AS pm25_n, sum("PM2.5") AS pm25_sum, sum("TEMP") AS temp_sum
     FROM read_csv([${list}], nullstr = 'NA') GROUP BY station ORDER BY station`,
  );
  const rows = reader.getRowObjectsJS() as { station: string; n: number; pm25_n: number; pm25_sum: number; temp_sum: number }[];
  conn.closeSync();
  db.closeSync();
  return rows;
}

describe.skipIf(!dir)('real Beijing data', () => {
  it('loads all hourly rows of every station and reads back the same counts and sums', { timeout: 180_000 }, async () => {
    const files = readdirSync(dir!)
      .filter((f) => f.endsWith('.csv.gz'))
      .sort()
      .map((f) => join(dir!, f));
    expect(files.length).toBeGreaterThanOrEqual(10);
    const store = await tempStore();
    const fg = await store.getOrCreateFeatureGroup({
      name: 'beijing_hourly',
      primaryKey: 'station',
      eventTime: 'time',
      onlineEnabled: true,
      schema: [
        { name: 'station', type: 'string' },
        { name: 'time', type: 'timestamp' },
        { name: 'wd', type: 'string' },
        ...NUMERIC.map((n) => ({ name: feature(n), type: 'float' as const })),
      ],
      expectations: { expectations: [{ kind: 'valuesBetween', column: 'pm25', min: 0, max: 1000 }] },
    });
    for (const file of files) await fg.insert(parseStation(file));

    const expected = await expectedTotals(files);
    const rows = await fg.select(['station', 'pm25', 'temp']).read();
    expect(rows.length).toBe(expected.reduce((a, e) => a + e.n, 0));
    expect(rows.length).toBeGreaterThan(350_000);
    const actual = new Map<string, { n: number; pm25_n: number; pm25_sum: number; temp_sum: number }>();
    for (const r of rows) {
      const a = actual.get(r.station as string) ?? { n: 0, pm25_n: 0, pm25_sum: 0, temp_sum: 0 };
      a.n++;
      if (r.pm25 !== null) {
        a.pm25_n++;
        a.pm25_sum += r.pm25 as number;
      }
      a.temp_sum += (r.temp as number | null) ?? 0;
      actual.set(r.station as string, a);
    }
    for (const e of expected) {
      const a = actual.get(e.station)!;
      expect([a.n, a.pm25_n]).toEqual([e.n, e.pm25_n]);
      expect(a.pm25_sum).toBeCloseTo(e.pm25_sum, 3);
      expect(a.temp_sum).toBeCloseTo(e.temp_sum, 3);
    }
    // The store's own statistics agree too.
    const stats = await fg.computeStatistics();
    const pm25 = stats.columns.find((c) => c.column === 'pm25')!;
    const totalN = expected.reduce((a, e) => a + e.pm25_n, 0);
    expect(pm25.count).toBe(totalN);
    expect(pm25.mean! * totalN).toBeCloseTo(
      expected.reduce((a, e) => a + e.pm25_sum, 0),
      0,
    );
    expect(pm25.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(totalN);
    // Ten commits, one per station file; the online row is each station's last hour.
    expect(await fg.commits()).toHaveLength(files.length);
    expect((await fg.getOnline('Dongsi'))!.time).toBe('2017-02-28T15:00:00.000Z');
  });
});
