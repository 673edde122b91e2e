// HTTP sources against a local replay server: retries, timeouts, 429, malformed answers, and Open-Meteo's formats.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UnavailableError, ValidationError } from '../../src/core/errors.js';
import { fetchJson, redact } from '../../src/airquality/http/fetch.js';
import { archiveWeather, forecastWeather, modelAirQuality } from '../../src/airquality/sources/open-meteo.js';
import { providerConfig } from '../../src/core/config.js';

const openMeteoEndpoints = (env: NodeJS.ProcessEnv) => providerConfig(env).openMeteo;
import { replayServer } from '../helpers/replay-server.js';

const noWait = { sleep: async () => undefined };
const Ok = z.object({ ok: z.boolean() });

describe('fetchJson', () => {
  it('retries a 429 (honouring Retry-After) and 5xx, then succeeds', async () => {
    const s = await replayServer();
    s.script('/x', [{ status: 429, headers: { 'retry-after': '2' } }, { status: 503 }, { body: { ok: true } }]);
    const waits: number[] = [];
    const r = await fetchJson(`${s.url}/x`, Ok, { what: 'test', backoffMs: 10, sleep: async (ms) => void waits.push(ms) });
    expect(r).toEqual({ ok: true });
    expect(s.requests).toHaveLength(3);
    expect(waits).toEqual([2000, 20]);
  });

  it('gives up with an UnavailableError after timeouts, saying what happened', async () => {
    const s = await replayServer();
    s.script('/slow', [{ body: { ok: true }, delayMs: 300 }]);
    const err = await fetchJson(`${s.url}/slow`, Ok, { what: 'slow API', timeoutMs: 50, retries: 1, ...noWait }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as Error).message).toMatch(/slow API: no answer within 50 ms after 2 attempts/);
  });

  it('does not retry other client errors, and rejects malformed or unexpected answers clearly', async () => {
    const s = await replayServer();
    s.script('/missing', [{ status: 404, body: 'not here' }]);
    await expect(fetchJson(`${s.url}/missing`, Ok, { what: 't', ...noWait })).rejects.toThrow(/HTTP 404/);
    expect(s.requests).toHaveLength(1);
    s.script('/garbage', [{ body: '<html>oops' }]);
    await expect(fetchJson(`${s.url}/garbage`, Ok, { what: 't', ...noWait })).rejects.toThrow(/is not JSON/);
    s.script('/shape', [{ body: { ok: 'yes' } }]);
    await expect(fetchJson(`${s.url}/shape`, Ok, { what: 't', ...noWait })).rejects.toThrow(ValidationError);
    const closed = 'http://127.0.0.1:9/unreachable';
    await expect(fetchJson(closed, Ok, { what: 't', retries: 1, ...noWait })).rejects.toThrow(/cannot connect/);
  });

  it('keeps secrets out of messages', () => {
    expect(redact('https://api.waqi.info/feed/here/?token=abc123&x=1')).toBe('https://api.waqi.info/feed/here/?token=***&x=1');
  });
});

/** Answers in Open-Meteo's documented format. */
function dailyAnswer(dates: string[], offset = 0) {
  const series = (base: number) => dates.map((_, i) => base + i + offset);
  return {
    latitude: 59.32,
    longitude: 18.05,
    timezone: 'Europe/Stockholm',
    daily_units: { time: 'iso8601', temperature_2m_mean: '°C', wind_speed_10m_mean: 'm/s' },
    daily: {
      time: dates,
      temperature_2m_mean: series(1),
      dew_point_2m_mean: series(-3),
      pressure_msl_mean: series(1010),
      precipitation_sum: dates.map(() => 0.4),
      wind_speed_10m_mean: dates.map(() => 3),
      wind_speed_10m_max: dates.map(() => 7),
      wind_direction_10m_dominant: dates.map(() => 180),
    },
  };
}

describe('Open-Meteo clients', () => {
  const place = { location_id: 'stockholm-hornsgatan', latitude: 59.3172, longitude: 18.0494 };

  it('reads archive and forecast answers into weather rows, marking forecasts with their issue date', async () => {
    const s = await replayServer();
    s.script('/archive', [{ body: dailyAnswer(['2024-01-01', '2024-01-02']) }]);
    s.script('/forecast', [{ body: dailyAnswer(['2024-01-02', '2024-01-03', '2024-01-04']) }]);
    const endpoints = openMeteoEndpoints({ AIRQ_OPEN_METEO_ARCHIVE_URL: `${s.url}/archive`, AIRQ_OPEN_METEO_FORECAST_URL: `${s.url}/forecast` });
    const observed = await archiveWeather(place, '2024-01-01', '2024-01-02', endpoints, noWait);
    expect(observed[1]).toMatchObject({ date: '2024-01-02', temperature_mean: 2, wind_direction_dominant: 'S', is_forecast: false, forecast_issued_on: null });
    expect(observed[1]!.wind_v).toBeCloseTo(3, 6); // from the south: blowing north
    expect(s.requests[0]!.searchParams.get('wind_speed_unit')).toBe('ms');
    const forecast = await forecastWeather(place, '2024-01-02', '2024-01-02', 2, endpoints, noWait);
    expect(forecast.map((r) => [r.date, r.is_forecast, r.forecast_issued_on])).toEqual([
      ['2024-01-02', false, null],
      ['2024-01-03', true, '2024-01-02'],
      ['2024-01-04', true, '2024-01-02'],
    ]);
  });

  it('turns hourly air quality into daily values with the 18-hour rule', async () => {
    const s = await replayServer();
    const time = [
      ...Array.from({ length: 24 }, (_, h) => `2024-01-01T${String(h).padStart(2, '0')}:00`),
      ...Array.from({ length: 24 }, (_, h) => `2024-01-02T${String(h).padStart(2, '0')}:00`),
    ];
    const pm = time.map((t, i) => (t.startsWith('2024-01-02') && i % 24 >= 10 ? null : 10 + (i % 24)));
    s.script('/aq', [{ body: { latitude: 1, longitude: 2, hourly_units: { pm2_5: 'μg/m³' }, hourly: { time, pm2_5: pm, pm10: pm, nitrogen_dioxide: pm } } }]);
    const rows = await modelAirQuality(place, '2024-01-01', '2024-01-02', openMeteoEndpoints({ AIRQ_OPEN_METEO_AIR_QUALITY_URL: `${s.url}/aq` }), noWait);
    expect(rows).toEqual([
      { location_id: place.location_id, date: '2024-01-01', pm25: 21.5, pm25_max: 33, pm10: 21.5, no2: 21.5, hours_measured: 24, pm25_source: 'cams' },
      { location_id: place.location_id, date: '2024-01-02', pm25: null, pm25_max: 19, pm10: null, no2: null, hours_measured: 10, pm25_source: 'cams' },
    ]);
  });

  it('refuses an answer whose series do not line up with its dates', async () => {
    const s = await replayServer();
    const bad = dailyAnswer(['2024-01-01', '2024-01-02']);
    bad.daily.temperature_2m_mean = [1];
    s.script('/archive', [{ body: bad }]);
    await expect(
      archiveWeather(place, '2024-01-01', '2024-01-02', openMeteoEndpoints({ AIRQ_OPEN_METEO_ARCHIVE_URL: `${s.url}/archive` }), noWait),
    ).rejects.toThrow(/not in the documented format \(daily: every daily series has one value per date\)/);
  });
});
