// `airq import beijing`: a real import through the command, its summary, idempotency, and bad input.
import { describe, expect, it } from 'vitest';
import { airq, lastJson } from '../helpers/cli.js';
import { join } from 'node:path';
import { dataDir } from '../helpers/data.js';
import { tempDir } from '../helpers/tmp.js';

const dir = dataDir('beijing');

describe.skipIf(!dir)('airq import beijing', () => {
  it('imports a date range, reports the commits, and a second run changes nothing', async () => {
    const store = tempDir();
    const args = ['import', 'beijing', dir!, '--start', '2017-02-01', '--end', '2017-02-28', '--store', store, '--json'];
    const first = lastJson(await airq(args));
    expect(first).toMatchObject({ days: 280, hourlyRows: 10 * 28 * 24 });
    expect((first.commits as Record<string, { inserted: number }>).air_quality!.inserted).toBe(280);
    const second = lastJson(await airq(args));
    expect(second.commits).toEqual({ locations: null, air_quality: null, weather: null, air_quality_lags: null });
    const read = lastJson(await airq(['fg', 'read', 'air_quality', '--limit', '1', '--json', '--store', store]));
    expect(read.rows).toEqual([expect.objectContaining({ location_id: 'beijing-aotizhongxin', date: '2017-02-01', hours_measured: expect.any(Number) })]);
  });

  it('refuses bad dates and unknown sources with usage errors', async () => {
    expect((await airq(['import', 'beijing', dir!, '--start', '2017-13-01'])).stderr).toMatch(/--start: must be a date written YYYY-MM-DD/);
    expect((await airq(['import', 'nowhere', dir!])).code).toBe(2);
  });
});

const aqicn = dataDir('aqicn');

describe.skipIf(!aqicn)('airq import aqicn', () => {
  it('imports an export for a location given on the command line, negative longitude included', async () => {
    const store = tempDir();
    const file = join(aqicn!, 'hells-kitchen.csv');
    const base = ['import', 'aqicn', file, '--location', 'nyc-hells-kitchen', '--name', "Hell's Kitchen", '--store', store];
    const r = await airq([...base, '--lat', '40.7638', '--lon', '-73.9918', '--json']);
    expect(r.code).toBe(0);
    expect(lastJson(r)).toMatchObject({ location: 'nyc-hells-kitchen', days: 1568, first: '2019-07-12' });
    const loc = lastJson(await airq(['fg', 'read', 'locations', '--json', '--store', store]));
    expect(loc.rows).toEqual([expect.objectContaining({ location_id: 'nyc-hells-kitchen', longitude: -73.9918, source: 'aqicn' })]);
    expect(await airq([...base, '--lat', '40.7'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--lon is required/) });
    expect((await airq([...base, '--lat', '91', '--lon', '0'])).stderr).toMatch(/--lat: must be between -90 and 90 degrees/);
    expect((await airq([...base, '--lat', 'north', '--lon', '0'])).stderr).toMatch(/--lat: must be a number of degrees/);
  });
});
