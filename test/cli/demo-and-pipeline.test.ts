// `airq demo` and `airq pipeline`: a ready store from the real data in a fresh directory, then daily runs.
import { describe, expect, it } from 'vitest';
import { lastJson, runCli } from '../helpers/cli.js';
import { dataDir } from '../helpers/data.js';
import { tempDir } from '../helpers/tmp.js';

const dir = dataDir('beijing');

describe.skipIf(!dir)('airq demo and airq pipeline', () => {
  it('builds a store as of the end of --today, then runs the next day and remembers the source', () => {
    const store = tempDir();
    const demo = runCli(['demo', '--source', 'beijing', '--path', dir!, '--today', '2017-02-10', '--store', store, '--json']);
    expect(demo.code).toBe(0);
    const built = lastJson(demo);
    expect(built).toMatchObject({ forecastDays: 7, stations: expect.arrayContaining(['beijing-dongsi']) });
    const forecast = lastJson(runCli(['fg', 'read', 'weather', '--limit', '100000', '--json', '--store', store]));
    const future = (forecast.rows as { date: string; is_forecast: boolean; forecast_issued_on: string | null }[]).filter((r) => r.date > '2017-02-10');
    expect(future).toHaveLength(70);
    expect(future.every((r) => r.is_forecast && r.forecast_issued_on === '2017-02-10')).toBe(true);
    // no --path: the store remembers the source folder
    const daily = lastJson(runCli(['pipeline', 'daily', '--date', '2017-02-11', '--store', store, '--json']));
    expect(daily).toMatchObject({ days: 10, forecastDays: 7 });
    const again = lastJson(runCli(['pipeline', 'daily', '--date', '2017-02-11', '--store', store, '--json']));
    expect(Object.values(again.commits as object)).toEqual([null, null, null, null]);
  });

  it('explains what is not available and refuses days outside the data', () => {
    expect(runCli(['demo', '--source', 'nowhere', '--store', tempDir()]).stderr).toMatch(/unknown --source nowhere; use live, synthetic or beijing/);
    expect(runCli(['demo', '--today', '2020-01-01', '--path', dir!, '--store', tempDir()]).stderr).toMatch(/outside the Beijing data \(2013-03-01 to 2017-02-28\)/);
    expect(runCli(['pipeline', 'weekly']).code).toBe(2);
  });
});

describe('airq demo without data', () => {
  it('falls back from live to the synthetic city in one line and builds a store as of --today', () => {
    const store = tempDir();
    const r = runCli(['demo', '--today', '2024-06-30', '--store', store, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/the live source \(Open-Meteo, Stockholm Hornsgatan\) is not built yet; using the synthetic city instead/);
    expect(lastJson(r)).toMatchObject({ stations: ['synthetic-city'], days: 1096, forecastDays: 7 });
    const daily = lastJson(runCli(['pipeline', 'daily', '--date', '2024-07-01', '--store', store, '--json']));
    expect(daily).toMatchObject({ stations: ['synthetic-city'], days: 1 });
  });
});
