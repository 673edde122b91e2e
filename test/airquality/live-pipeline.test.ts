// The Open-Meteo pipeline against a local replay server: a backfill with forecasts, a daily run, and nothing written on failure.
import { describe, expect, it } from 'vitest';
import { runOpenMeteo, STOCKHOLM_HORNSGATAN } from '../../src/airquality/pipelines/open-meteo-pipeline.js';
import { openMeteoEndpoints } from '../../src/airquality/sources/open-meteo.js';
import { addDays } from '../../src/core/dates.js';
import { col } from '../../src/store/index.js';
import { replayServer, type ReplayServer } from '../helpers/replay-server.js';
import { tempStore } from '../helpers/tmp.js';

const dates = (from: string, n: number) => Array.from({ length: n }, (_, i) => addDays(from, i));

function daily(ds: string[]) {
  const v = (x: number) => ds.map(() => x);
  return {
    latitude: 59.32,
    longitude: 18.05,
    daily: {
      time: ds,
      temperature_2m_mean: v(4),
      dew_point_2m_mean: v(1),
      pressure_msl_mean: v(1012),
      precipitation_sum: v(0),
      wind_speed_10m_mean: v(3),
      wind_speed_10m_max: v(6),
      wind_direction_10m_dominant: v(270),
    },
  };
}

function hourly(ds: string[], pm: number) {
  const time = ds.flatMap((d) => Array.from({ length: 24 }, (_, h) => `${d}T${String(h).padStart(2, '0')}:00`));
  const v = time.map(() => pm);
  return { latitude: 59.32, longitude: 18.05, hourly: { time, pm2_5: v, pm10: v, nitrogen_dioxide: v } };
}

function script(s: ReplayServer, pm = 8) {
  s.script('/archive', [{ body: daily(dates('2024-01-01', 10)) }]);
  s.script('/forecast', [{ body: daily(dates('2024-01-10', 8)) }]);
  s.script('/aq', [{ body: hourly(dates('2024-01-01', 10), pm) }]);
  return openMeteoEndpoints({
    AIRQ_OPEN_METEO_ARCHIVE_URL: `${s.url}/archive`,
    AIRQ_OPEN_METEO_FORECAST_URL: `${s.url}/forecast`,
    AIRQ_OPEN_METEO_AIR_QUALITY_URL: `${s.url}/aq`,
  });
}

describe('Open-Meteo pipeline', () => {
  it('backfills observations with a 7-day forecast, then a daily run replaces the forecast for its day', async () => {
    const s = await replayServer();
    const endpoints = script(s);
    const store = await tempStore();
    const r = await runOpenMeteo(store, STOCKHOLM_HORNSGATAN, { start: '2024-01-01', end: '2024-01-10', forecastDays: 7, endpoints });
    expect(r).toMatchObject({ days: 10, forecastDays: 7 });
    const weather = store.getFeatureGroup('weather');
    expect(await weather.filter(col('is_forecast').eq(true)).count()).toBe(7);
    expect((await store.getFeatureGroup('air_quality').read())[0]).toMatchObject({ pm25: 8, hours_measured: 24 });

    s.script('/forecast', [{ body: daily(dates('2024-01-11', 8)) }]);
    s.script('/aq', [{ body: hourly(['2024-01-11'], 9) }]);
    await runOpenMeteo(store, STOCKHOLM_HORNSGATAN, { start: '2024-01-11', end: '2024-01-11', forecastDays: 7, endpoints });
    expect((await weather.filter(col('date').eq('2024-01-11')).read())[0]).toMatchObject({ is_forecast: false, forecast_issued_on: null });
    expect((await weather.filter(col('date').eq('2024-01-18')).read())[0]).toMatchObject({ is_forecast: true, forecast_issued_on: '2024-01-11' });
    expect((await store.getFeatureGroup('air_quality_lags').filter(col('date').eq('2024-01-11')).read())[0]!.pm25_lag1).toBe(8);
  });

  it('writes nothing when a source answers with something malformed', async () => {
    const s = await replayServer();
    const endpoints = script(s);
    s.script('/aq', [{ body: { latitude: 1, longitude: 2, hourly: { time: ['2024-01-01T00:00'], pm2_5: [] } } }]);
    const store = await tempStore();
    await expect(runOpenMeteo(store, STOCKHOLM_HORNSGATAN, { start: '2024-01-01', end: '2024-01-10', forecastDays: 7, endpoints })).rejects.toThrow(
      /not in the documented format/,
    );
    expect(store.listFeatureGroups().length === 0 || (await Promise.all(store.listFeatureGroups().map((g) => g.count()))).every((n) => n === 0)).toBe(true);
  });
});
