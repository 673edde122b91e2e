// `airq demo` and `airq pipeline`: a ready store from the real data in a fresh directory, then daily runs.
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/core/dates.js';
import { airq, lastJson } from '../helpers/cli.js';
import { replayServer } from '../helpers/replay-server.js';
import { dataDir } from '../helpers/data.js';
import { tempDir } from '../helpers/tmp.js';

const dir = dataDir('beijing');

describe.skipIf(!dir)('airq demo and airq pipeline', () => {
  it('builds a store as of the end of --today, then runs the next day and remembers the source', { timeout: 240_000 }, async () => {
    const store = tempDir();
    const demo = await airq(['demo', '--source', 'beijing', '--path', dir!, '--today', '2017-02-10', '--store', store, '--json']);
    expect(demo.code).toBe(0);
    const built = lastJson(demo);
    expect(built).toMatchObject({ forecastDays: 7, stations: expect.arrayContaining(['beijing-dongsi']) });
    const forecast = lastJson(await airq(['fg', 'read', 'weather', '--limit', '100000', '--json', '--store', store]));
    const future = (forecast.rows as { date: string; is_forecast: boolean; forecast_issued_on: string | null }[]).filter((r) => r.date > '2017-02-10');
    expect(future).toHaveLength(70);
    expect(future.every((r) => r.is_forecast && r.forecast_issued_on === '2017-02-10')).toBe(true);
    // no --path and no --date: the store remembers the source folder and takes its next day
    const daily = await airq(['pipeline', 'daily', '--store', store]);
    expect(daily.stdout).toMatch(/^10 location-days of 10 location\(s\) \+ 7-day weather forecasts/);
    expect(daily.stdout).toMatch(/the store's today is 2017-02-11/);
    const again = lastJson(await airq(['pipeline', 'daily', '--date', '2017-02-11', '--store', store, '--json']));
    expect(Object.values(again.commits as object)).toEqual([null, null, null, null]);
    // Past the end of the archive there is nothing to replay: an error, and the clock stays.
    const beyond = await airq(['pipeline', 'daily', '--date', '2017-03-05', '--store', store]);
    expect([beyond.code, beyond.stderr]).toEqual([
      1,
      'airq: nothing to replay for 2017-03-05: the UCI Beijing data covers 2013-03-01 to 2017-02-28 (it is a fixed archive, not a live feed)\n',
    ]);
    expect((await airq(['pipeline', 'daily', '--date', '2017-02-11', '--store', store])).stdout).toMatch(/the store's today is 2017-02-11/);
  });

  it('explains what is not available and refuses days outside the data', async () => {
    expect((await airq(['demo', '--source', 'nowhere', '--store', tempDir()])).stderr).toMatch(/unknown --source nowhere; use live, synthetic or beijing/);
    expect((await airq(['demo', '--today', '2020-01-01', '--path', dir!, '--store', tempDir()])).stderr).toMatch(
      /outside the Beijing data \(2013-03-01 to 2017-02-28\)/,
    );
    expect((await airq(['pipeline', 'weekly'])).code).toBe(2);
  });
});

/** Endpoints on a closed local port: the live source is "unreachable" without touching the network. */
const OFFLINE = {
  AIRQ_OPEN_METEO_ARCHIVE_URL: 'http://127.0.0.1:9/archive',
  AIRQ_OPEN_METEO_FORECAST_URL: 'http://127.0.0.1:9/forecast',
  AIRQ_OPEN_METEO_AIR_QUALITY_URL: 'http://127.0.0.1:9/aq',
};

describe('airq demo without data or network', () => {
  it('says in one line that the live source is unreachable, falls back to the synthetic city, and runs the next day', { timeout: 240_000 }, async () => {
    const store = tempDir();
    const r = await airq(['demo', '--today', '2024-06-30', '--store', store, '--json'], OFFLINE);
    expect(r.code).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('warn'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/the live source is unreachable \(.*cannot connect.*\); using the synthetic city instead/);
    expect(lastJson(r)).toMatchObject({ stations: ['synthetic-city'], days: 1096, forecastDays: 7 });
    const daily = lastJson(await airq(['pipeline', 'daily', '--store', store, '--json']));
    expect(daily).toMatchObject({ stations: ['synthetic-city'], days: 1 });
    // The live demo's place a second time is refused: this store holds the synthetic city now.
    const live = await airq(['pipeline', 'daily', '--source', 'live', '--store', store]);
    expect(live.code).toBe(1);
    expect(live.stderr).toMatch(/holds the synthetic city \(seed 1\); it cannot also take live data/);
  });
});

describe('airq demo with the live source', () => {
  it('builds Stockholm Hornsgatan from Open-Meteo (a local replay server here)', { timeout: 240_000 }, async () => {
    const s = await replayServer();
    const days = Array.from({ length: 366 }, (_, i) => addDays('2023-07-01', i));
    const daily = (ds: string[]) => ({
      latitude: 59.3,
      longitude: 18.0,
      daily: Object.fromEntries([
        ['time', ds],
        ...[
          'temperature_2m_mean',
          'dew_point_2m_mean',
          'pressure_msl_mean',
          'precipitation_sum',
          'wind_speed_10m_mean',
          'wind_speed_10m_max',
          'wind_direction_10m_dominant',
        ].map((k) => [k, ds.map(() => 1)]),
      ]),
    });
    const time = days.flatMap((d) => Array.from({ length: 24 }, (_, h) => `${d}T${String(h).padStart(2, '0')}:00`));
    s.script('/archive', [{ body: daily(days) }]);
    s.script('/forecast', [{ body: daily(Array.from({ length: 8 }, (_, i) => addDays('2024-06-30', i))) }]);
    s.script('/aq', [
      { body: { latitude: 59.3, longitude: 18.0, hourly: { time, pm2_5: time.map(() => 6), pm10: time.map(() => 9), nitrogen_dioxide: time.map(() => 12) } } },
    ]);
    const env = {
      AIRQ_OPEN_METEO_ARCHIVE_URL: `${s.url}/archive`,
      AIRQ_OPEN_METEO_FORECAST_URL: `${s.url}/forecast`,
      AIRQ_OPEN_METEO_AIR_QUALITY_URL: `${s.url}/aq`,
    };
    const store = tempDir();
    const r = await airq(['demo', '--today', '2024-06-30', '--store', store, '--json'], env);
    expect(r.code).toBe(0);
    expect(lastJson(r)).toMatchObject({ stations: ['stockholm-hornsgatan'], days: 366, forecastDays: 7 });
    const loc = lastJson(await airq(['fg', 'read', 'locations', '--json', '--store', store]));
    expect(loc.rows).toEqual([expect.objectContaining({ location_id: 'stockholm-hornsgatan', source: 'open-meteo' })]);
  });
});
