// aqicn exports: both header styles, AQI -> µg/m³ conversion, sorting, blanks, and the import into the store.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importAqicn } from '../../src/airquality/pipelines/import-aqicn.js';
import { readAqicnCsv } from '../../src/airquality/sources/aqicn-csv.js';
import { col } from '../../src/store/index.js';
import { dataDir } from '../helpers/data.js';
import { tempDir, tempStore } from '../helpers/tmp.js';

const dir = dataDir('aqicn');

describe('aqicn CSV (hand-made)', () => {
  it('converts AQI to µg/m³ at the breakpoints, reads both date styles, sorts, and keeps blanks missing', () => {
    const file = join(tempDir(), 'x.csv');
    writeFileSync(file, 'date, pm25, pm10, no2\n2024/1/3, 100, 50, \n2024/1/1, 50, 54, 50\n2024/1/2, , 51, 51\n');
    expect(readAqicnCsv(file)).toEqual([
      { date: '2024-01-01', pm25: 12.0, pm25Max: null, pm10: 61, no2: 99.6 }, // pm10 AQI 54: 55 + 3 * 99 / 49; no2 AQI 50 = 53 ppb * 1.88
      { date: '2024-01-02', pm25: null, pm25Max: null, pm10: 55, no2: 101.5 }, // 51 AQI = 54 ppb
      { date: '2024-01-03', pm25: 35.4, pm25Max: null, pm10: 54, no2: null },
    ]);
    const stats = join(tempDir(), 'y.csv');
    writeFileSync(stats, 'date,min,max,pm25,q1,q3,stdev,count\n2019-07-12T00:00:00.000Z,6.61,151,101,11.65,17.22,3.484,264\n');
    expect(readAqicnCsv(stats)).toEqual([{ date: '2019-07-12', pm25: 35.5, pm25Max: 55.5, pm10: null, no2: null }]);
  });

  it('names the file and line of a bad row', () => {
    const file = join(tempDir(), 'bad.csv');
    writeFileSync(file, 'date, pm25\n2024/1/1, 10\n2024/13/1, 10\n');
    expect(() => readAqicnCsv(file)).toThrow(/^bad\.csv line 3, column "date": cannot read the date "2024\/13\/1": its month "13" is not a month \(1-12\)/);
    writeFileSync(file, 'when, value\n');
    expect(() => readAqicnCsv(file)).toThrow(/not an aqicn export/);
  });
});

describe.skipIf(!dir)('aqicn exports (real files)', () => {
  it('imports the Stockholm Hornsgatan export into the store, converted and with lags', async () => {
    const store = await tempStore();
    const r = await importAqicn(store, join(dir!, 'stockholm-hornsgatan-108.csv'), {
      location_id: 'stockholm-hornsgatan',
      name: 'Hornsgatan 108',
      city: 'Stockholm',
      country: 'SE',
      latitude: 59.3172,
      longitude: 18.0494,
      timezone: 'Europe/Stockholm',
    });
    expect(r.days).toBeGreaterThan(2700);
    const day = await store.getFeatureGroup('air_quality').filter(col('location_id').eq('stockholm-hornsgatan')).filter(col('date').eq('2025-07-01')).read();
    // the file says AQI 14, 19, 8 for 2025/7/1: PM2.5 14 -> 14 * 12 / 50 = 3.36 -> 3.4 µg/m³
    expect(day[0]).toMatchObject({ pm25: 3.4, pm10: 21, hours_measured: 24 }); // pm10 AQI 19 -> 19 * 54 / 50 = 20.5 -> 21
    const lags = await store.getFeatureGroup('air_quality_lags').filter(col('date').eq('2025-07-02')).read();
    expect(lags[0]!.pm25_lag1).toBe(3.4);
    expect(
      await importAqicn(store, join(dir!, 'stockholm-hornsgatan-108.csv'), {
        location_id: 'stockholm-hornsgatan',
        name: 'Hornsgatan 108',
        city: 'Stockholm',
        country: 'SE',
        latitude: 59.3172,
        longitude: 18.0494,
        timezone: 'Europe/Stockholm',
      }),
    ).toMatchObject({ commits: { locations: null, airQuality: null, lags: null } });
  });

  it("reads the statistics-style export (Hell's Kitchen)", () => {
    const days = readAqicnCsv(join(dir!, 'hells-kitchen.csv'));
    expect(days.length).toBeGreaterThan(1500);
    const d = days.find((x) => x.date === '2024-05-03')!;
    // median AQI 6.1 -> 6.1 * 12 / 50 = 1.464 -> 1.5; max AQI 31 -> 7.44 -> 7.4
    expect(d).toEqual({ date: '2024-05-03', pm25: 1.5, pm25Max: 7.4, pm10: null, no2: null });
    expect(days.every((x, i) => i === 0 || days[i - 1]!.date < x.date)).toBe(true);
  });
});
