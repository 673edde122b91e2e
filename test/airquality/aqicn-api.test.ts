// The aqicn live API against a local replay server: a reading, an invalid key, a stale station, the daily live run.
import { describe, expect, it } from 'vitest';
import { runOpenMeteo, STOCKHOLM_HORNSGATAN } from '../../src/airquality/pipelines/open-meteo-pipeline.js';
import { aqicnConfig, aqicnCurrent } from '../../src/airquality/sources/aqicn-api.js';
import { openMeteoEndpoints } from '../../src/airquality/sources/open-meteo.js';
import { addDays } from '../../src/core/dates.js';
import { replayServer } from '../helpers/replay-server.js';
import { tempStore } from '../helpers/tmp.js';

const feed = (time: string, pm25: number) => ({
  status: 'ok',
  data: {
    aqi: pm25,
    idx: 10009,
    city: { name: 'Hornsgatan 108, Stockholm' },
    iaqi: { pm25: { v: pm25 }, pm10: { v: 20 }, t: { v: 3 } },
    time: { s: time, tz: '+01:00' },
  },
});

describe('aqicn live API', () => {
  it('reads the current station values in µg/m³, and keeps the token out of errors', async () => {
    const s = await replayServer();
    s.script('/feed/@10009/', [{ body: feed('2024-01-11 14:00:00', 51) }]);
    const config = aqicnConfig({ AQICN_API_KEY: 'secret', AIRQ_AQICN_STATION: '@10009', AIRQ_AQICN_URL: s.url })!;
    expect(await aqicnCurrent(config)).toEqual({ date: '2024-01-11', pm25: 12.1, pm10: 22 }); // PM10 AQI 20: 20 * 54 / 50 = 21.6
    expect(s.requests[0]!.searchParams.get('token')).toBe('secret');
    s.script('/feed/@10009/', [{ body: { status: 'error', data: 'Invalid key' } }]);
    const err = await aqicnCurrent(config).then(
      () => new Error('expected the invalid key to be refused'),
      (e: Error) => e,
    );
    expect(err.message).toMatch(/Invalid key; check AQICN_API_KEY/);
    expect(err.message).not.toContain('secret');
    expect(aqicnConfig({})).toBeUndefined();
  });

  it('feeds the daily live run, and refuses a reading from another day', async () => {
    const s = await replayServer();
    const days = Array.from({ length: 8 }, (_, i) => addDays('2024-01-11', i));
    const series = (x: number) => days.map(() => x);
    s.script('/forecast', [
      {
        body: {
          latitude: 1,
          longitude: 2,
          daily: {
            time: days,
            temperature_2m_mean: series(1),
            dew_point_2m_mean: series(0),
            pressure_msl_mean: series(1010),
            precipitation_sum: series(0),
            wind_speed_10m_mean: series(2),
            wind_speed_10m_max: series(4),
            wind_direction_10m_dominant: series(90),
          },
        },
      },
    ]);
    s.script('/feed/@10009/', [{ body: feed('2024-01-12 09:00:00', 100) }]);
    const endpoints = openMeteoEndpoints({ AIRQ_OPEN_METEO_FORECAST_URL: `${s.url}/forecast` });
    const aqicn = aqicnConfig({ AQICN_API_KEY: 'k', AIRQ_AQICN_STATION: '@10009', AIRQ_AQICN_URL: s.url })!;
    const store = await tempStore();
    await runOpenMeteo(store, STOCKHOLM_HORNSGATAN, { start: '2024-01-12', end: '2024-01-12', forecastDays: 6, endpoints, aqicn });
    expect(await store.getFeatureGroup('air_quality').read()).toEqual([
      { location_id: 'stockholm-hornsgatan', date: '2024-01-12', pm25: 35.4, pm25_max: null, pm10: 22, no2: null, hours_measured: null },
    ]);
    s.script('/feed/@10009/', [{ body: feed('2024-01-12 23:00:00', 10) }]);
    await expect(runOpenMeteo(store, STOCKHOLM_HORNSGATAN, { start: '2024-01-13', end: '2024-01-13', forecastDays: 6, endpoints, aqicn })).rejects.toThrow(
      /latest reading for @10009 is from 2024-01-12, not 2024-01-13; the station may be offline/,
    );
  });
});
