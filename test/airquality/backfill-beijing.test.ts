// Backfill over the real UCI Beijing data, checked against DuckDB's own reading of the CSV files.
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { backfillBeijing } from '../../src/airquality/pipelines/beijing-pipeline.js';
import { col } from '../../src/store/index.js';
import { dataDir } from '../helpers/data.js';
import { tempDir, tempStore } from '../helpers/tmp.js';
import { writeFileSync } from 'node:fs';

const dir = dataDir('beijing');

/** Daily values are stored rounded to 2 decimals: within half a unit of that. */
const near = (got: unknown, want: number) => expect(Math.abs((got as number) - want)).toBeLessThanOrEqual(0.005 + 1e-9);

/** Daily PM2.5 and temperature per station-day, straight from the CSV (independent of our parser). */
async function independentDaily(station: string) {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const reader = await conn.runAndReadAll(
    `SELECT make_date(year, month, day)::VARCHAR AS date, count("PM2.5")::INTEGER AS n,
            avg("PM2.5") AS pm25, avg(TEMP) AS temp, count(TEMP)::INTEGER AS nt
     FROM read_csv('${join(dir!, `PRSA_Data_${station}_20130301-20170228.csv.gz`)}', nullstr = 'NA')
     GROUP BY ALL ORDER BY date`,
  );
  const rows = reader.getRowObjectsJS() as { date: string; n: number; pm25: number | null; temp: number | null; nt: number }[];
  conn.closeSync();
  db.closeSync();
  return new Map(rows.map((r) => [r.date, r]));
}

describe.skipIf(!dir)('Beijing backfill (real data)', () => {
  it('builds daily air quality, weather and lags that match the CSV, and a re-run writes nothing', async () => {
    const store = await tempStore();
    const first = await backfillBeijing(store, dir!);
    expect(first.stations).toHaveLength(10);
    expect(first.hourlyRows).toBe(350_640);
    expect(first.days).toBe(10 * 1461);
    const aq = store.getFeatureGroup('air_quality');
    const expected = await independentDaily('Dongsi');
    const dongsi = new Map((await aq.filter(col('location_id').eq('beijing-dongsi')).read()).map((r) => [r.date as string, r]));
    expect(dongsi.size).toBe(expected.size);
    let short = 0;
    for (const [date, e] of expected) {
      const got = dongsi.get(date)!;
      expect(got.hours_measured).toBe(e.n);
      if (e.n >= 18) near(got.pm25, e.pm25!);
      else {
        expect(got.pm25).toBeNull(); // fewer than 18 hours: no daily mean
        short++;
      }
    }
    expect(short).toBeGreaterThan(0);
    const weather = await store.getFeatureGroup('weather').filter(col('location_id').eq('beijing-dongsi')).filter(col('date').eq('2016-01-15')).read();
    near(weather[0]!.temperature_mean, expected.get('2016-01-15')!.temp!);
    expect(weather[0]!.is_forecast).toBe(false);
    const lags = await store.getFeatureGroup('air_quality_lags').filter(col('location_id').eq('beijing-dongsi')).filter(col('date').eq('2016-01-15')).read();
    expect(lags[0]!.pm25_lag1).toBe(dongsi.get('2016-01-14')!.pm25);
    expect(lags[0]!.pm25_lag7).toBe(dongsi.get('2016-01-08')!.pm25);

    const again = await backfillBeijing(store, dir!);
    expect(Object.values(again.commits)).toEqual([null, null, null, null]);
    expect(await aq.count()).toBe(10 * 1461);
    expect(await store.getFeatureGroup('locations').getOnline('beijing-dongsi')).toMatchObject({ name: 'Dongsi', city: 'Beijing' });
  });

  it('limits a backfill to a date range, and refuses folders without station files', async () => {
    const store = await tempStore();
    const r = await backfillBeijing(store, dir!, { start: '2017-02-01', end: '2017-02-28' });
    expect(r.days).toBe(10 * 28);
    const empty = tempDir();
    writeFileSync(join(empty, 'notes.txt'), 'nothing here');
    await expect(backfillBeijing(store, empty)).rejects.toThrow(/no UCI Beijing station files/);
  });
});
