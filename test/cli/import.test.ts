// `airq import beijing`: a real import through the command, its summary, idempotency, and bad input.
import { describe, expect, it } from 'vitest';
import { lastJson, runCli } from '../helpers/cli.js';
import { dataDir } from '../helpers/data.js';
import { tempDir } from '../helpers/tmp.js';

const dir = dataDir('beijing');

describe.skipIf(!dir)('airq import beijing', () => {
  it('imports a date range, reports the commits, and a second run changes nothing', () => {
    const store = tempDir();
    const args = ['import', 'beijing', dir!, '--start', '2017-02-01', '--end', '2017-02-28', '--store', store, '--json'];
    const first = lastJson(runCli(args));
    expect(first).toMatchObject({ days: 280, hourlyRows: 10 * 28 * 24 });
    expect((first.commits as Record<string, { inserted: number }>).air_quality.inserted).toBe(280);
    const second = lastJson(runCli(args));
    expect(second.commits).toEqual({ locations: null, air_quality: null, weather: null, air_quality_lags: null });
    const read = lastJson(runCli(['fg', 'read', 'air_quality', '--limit', '1', '--json', '--store', store]));
    expect(read.rows).toEqual([
      expect.objectContaining({ location_id: 'beijing-aotizhongxin', date: '2017-02-01', hours_measured: expect.any(Number) }),
    ]);
  });

  it('refuses bad dates and unknown sources with usage errors', () => {
    expect(runCli(['import', 'beijing', dir!, '--start', '2017-13-01']).stderr).toMatch(/--start: must be a date written YYYY-MM-DD/);
    expect(runCli(['import', 'nowhere', dir!]).code).toBe(2);
  });
});
