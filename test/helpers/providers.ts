// A local stand-in for the data providers outside this machine, answering in their documented formats for any
// place and dates asked: Open-Meteo (archive, forecast, air quality, geocoding), aqicn's feed and OpenAQ v3.
// Values are deterministic functions of the coordinates and the date, so runs can be compared; failures are injected per path.
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addDays, isoDateToEpochDays } from '../../src/core/dates.js';

export interface FakeProviders {
  url: string;
  /** AIRQ_* and key variables pointing airq at this server. */
  env: Record<string, string>;
  /** Every request, in order. */
  requests: URL[];
  /** The next `times` requests to a path (prefix), and matching `where` when given, answer with this status or body instead. */
  fail(pathPrefix: string, answer: { status?: number; body?: unknown }, times?: number, where?: (url: URL) => boolean): void;
  /** Ends every injected failure, and any change of the air set by pollute. */
  heal(): void;
  /** From `from` on, every place's PM2.5 (and PM10, NO2) is `factor` times what it was: a change the model has not seen. */
  pollute(from: string, factor: number): void;
  /** What aqicn's feed reports as the time of its current reading (default: AQICN_TODAY). */
  aqicnNow: string;
  close(): Promise<void>;
}

/** The gazetteer: one Testville, three Springfields, nothing for anything else. */
const PLACES: Record<string, object[]> = {
  testville: [
    { id: 1, name: 'Testville', latitude: 52.5, longitude: 13.4, timezone: 'Europe/Berlin', country_code: 'DE', country: 'Germany', admin1: 'Berlin' },
  ],
  springfield: [
    {
      id: 2,
      name: 'Springfield',
      latitude: 39.8,
      longitude: -89.64,
      timezone: 'America/Chicago',
      country_code: 'US',
      country: 'United States',
      admin1: 'Illinois',
    },
    {
      id: 3,
      name: 'Springfield',
      latitude: 37.22,
      longitude: -93.29,
      timezone: 'America/Chicago',
      country_code: 'US',
      country: 'United States',
      admin1: 'Missouri',
    },
    {
      id: 4,
      name: 'Springfield',
      latitude: 42.1,
      longitude: -72.59,
      timezone: 'America/New_York',
      country_code: 'US',
      country: 'United States',
      admin1: 'Massachusetts',
    },
  ],
  neukölln: [
    {
      id: 5,
      name: 'Neukölln',
      latitude: 52.48,
      longitude: 13.44,
      timezone: 'Europe/Berlin',
      country_code: 'DE',
      country: 'Germany',
      admin1: 'Berlin',
      admin2: 'Neukölln',
    },
  ],
};

const zoneAt = (lon: number) => (lon < -30 ? 'America/New_York' : lon > 100 ? 'Asia/Shanghai' : 'Europe/Berlin');

/** A smooth pseudo-random number in [0, 1) from a seed: the same inputs always give the same value. */
function noise(...xs: number[]): number {
  let h = 2166136261;
  for (const x of xs) h = Math.imul(h ^ Math.round(x * 1000), 16777619);
  return ((h >>> 0) % 10_000) / 10_000;
}

function weatherOf(lat: number, lon: number, date: string) {
  const d = isoDateToEpochDays(date);
  const season = Math.cos(((d % 365) / 365) * 2 * Math.PI);
  const wind = 1 + 6 * noise(lat, lon, d, 1);
  return {
    temperature_2m_mean: Math.round((8 - 10 * season + 4 * noise(lat, lon, d, 2)) * 10) / 10,
    dew_point_2m_mean: Math.round((2 - 8 * season) * 10) / 10,
    pressure_msl_mean: Math.round(1000 + 25 * noise(lat, lon, d, 3)),
    precipitation_sum: noise(lat, lon, d, 4) > 0.7 ? Math.round(10 * noise(lat, lon, d, 5) * 10) / 10 : 0,
    wind_speed_10m_mean: Math.round(wind * 10) / 10,
    wind_speed_10m_max: Math.round(wind * 18) / 10,
    wind_direction_10m_dominant: Math.round(360 * noise(lat, lon, d, 6)),
  };
}

/** Set by pollute(): from this day on, PM is multiplied. */
const shift = { from: '9999-12-31', factor: 1 };

/** PM2.5 that weather explains in part: calm, cold, dry days are worse. */
function pm25Of(lat: number, lon: number, date: string): number {
  const w = weatherOf(lat, lon, date);
  const base = 6 + 30 / w.wind_speed_10m_mean + Math.max(0, -w.temperature_2m_mean) + 8 * noise(lat, lon, isoDateToEpochDays(date), 7);
  return Math.round(base * (date >= shift.from ? shift.factor : 1) * 10) / 10;
}

function dates(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length < 5000; d = addDays(d, 1)) out.push(d);
  return out;
}

function openMeteoDaily(q: URLSearchParams) {
  const lat = Number(q.get('latitude'));
  const lon = Number(q.get('longitude'));
  const timezone = zoneAt(lon);
  if (!q.get('start_date')) return { latitude: lat, longitude: lon, timezone, daily: { time: [], temperature_2m_mean: [] } };
  const time = dates(q.get('start_date')!, q.get('end_date')!);
  const rows = time.map((d) => weatherOf(lat, lon, d));
  const daily: Record<string, unknown[]> = { time };
  for (const k of Object.keys(rows[0] ?? weatherOf(0, 0, '2024-01-01'))) daily[k] = rows.map((r) => r[k as keyof typeof r]);
  return { latitude: lat, longitude: lon, timezone, daily };
}

function openMeteoAir(q: URLSearchParams) {
  const lat = Number(q.get('latitude'));
  const lon = Number(q.get('longitude'));
  const days = dates(q.get('start_date')!, q.get('end_date')!);
  const time = days.flatMap((d) => Array.from({ length: 24 }, (_, h) => `${d}T${String(h).padStart(2, '0')}:00`));
  const pm = time.map((t, i) => Math.round(pm25Of(lat, lon, t.slice(0, 10)) * (0.8 + 0.4 * ((i % 24) / 23)) * 10) / 10);
  return {
    latitude: lat,
    longitude: lon,
    hourly: { time, pm2_5: pm, pm10: pm.map((v) => Math.round(v * 15) / 10), nitrogen_dioxide: pm.map((v) => Math.round(v * 8) / 10) },
  };
}

const OPENAQ_LOCATION = { id: 2178, lat: 40.71, lon: -74.0 };

function openAq(path: string, q: URLSearchParams) {
  const loc = /^\/v3\/locations\/(\d+)$/.exec(path);
  if (loc) {
    if (Number(loc[1]) !== OPENAQ_LOCATION.id) return { status: 404, body: { detail: 'Location not found' } };
    const sensors = [
      { id: 21781, name: 'pm25 µg/m³', parameter: { id: 2, name: 'pm25', units: 'µg/m³', displayName: 'PM2.5' } },
      { id: 21782, name: 'no2 ppb', parameter: { id: 7, name: 'no2', units: 'ppb', displayName: 'NO₂' } },
    ];
    const l = {
      id: 2178,
      name: 'Test Street',
      locality: 'New York',
      timezone: 'America/New_York',
      country: { id: 155, code: 'US', name: 'United States' },
      coordinates: { latitude: OPENAQ_LOCATION.lat, longitude: OPENAQ_LOCATION.lon },
      sensors,
    };
    return { body: { meta: { name: 'openaq-api', page: 1, limit: 100, found: 1 }, results: [l] } };
  }
  const days = /^\/v3\/sensors\/(\d+)\/days$/.exec(path);
  if (days) {
    const sensor = Number(days[1]);
    const page = Number(q.get('page') ?? 1);
    // Every 5th day is missing: a sensor with gaps.
    const all = dates(q.get('date_from')!, q.get('date_to')!).filter((d) => isoDateToEpochDays(d) % 5 !== 0);
    const limit = Number(q.get('limit') ?? 100);
    const slice = all.slice((page - 1) * limit, page * limit);
    const results = slice.map((d) => {
      const pm = pm25Of(OPENAQ_LOCATION.lat, OPENAQ_LOCATION.lon, d);
      const param = sensor === 21781 ? { id: 2, name: 'pm25', units: 'µg/m³' } : { id: 7, name: 'no2', units: 'ppb' };
      return {
        value: sensor === 21781 ? pm : Math.round(pm * 4) / 10,
        flagInfo: { hasFlags: false },
        parameter: param,
        period: {
          label: '1day',
          interval: '24:00:00',
          datetimeFrom: { utc: `${d}T05:00:00Z`, local: `${d}T01:00:00-05:00` },
          datetimeTo: { utc: `${addDays(d, 1)}T05:00:00Z`, local: `${addDays(d, 1)}T00:00:00-05:00` },
        },
        coverage: { expectedCount: 24, observedCount: 23, percentComplete: 96 },
      };
    });
    return { body: { meta: { name: 'openaq-api', page, limit, found: all.length }, results } };
  }
  return { status: 404, body: { detail: 'Not Found' } };
}

export interface FakeProviderOptions {
  /** The day aqicn's current reading is from (YYYY-MM-DD). */
  aqicnToday?: string;
}

export async function fakeProviders(options: FakeProviderOptions = {}): Promise<FakeProviders> {
  const requests: URL[] = [];
  const failures: { prefix: string; answer: { status?: number; body?: unknown }; times: number; where?: (url: URL) => boolean }[] = [];
  const state = { aqicnNow: options.aqicnToday ?? '2024-01-01' };
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    const q = url.searchParams;
    const f = failures.find((x) => url.pathname.startsWith(x.prefix) && x.times > 0 && (x.where?.(url) ?? true));
    if (f) {
      f.times--;
      return send(res, f.answer.status ?? 200, f.answer.body ?? {});
    }
    if (url.pathname === '/archive' || url.pathname === '/forecast') return send(res, 200, openMeteoDaily(q));
    if (url.pathname === '/air-quality') return send(res, 200, openMeteoAir(q));
    if (url.pathname === '/geocoding') {
      const results = PLACES[(q.get('name') ?? '').toLowerCase()];
      return send(res, 200, results ? { results, generationtime_ms: 0.5 } : { generationtime_ms: 0.5 });
    }
    if (url.pathname.startsWith('/feed/')) {
      if (q.get('token') !== 'test-aqicn') return send(res, 200, { status: 'error', data: 'Invalid key' });
      const aqi = Math.round(20 + 40 * noise(isoDateToEpochDays(state.aqicnNow)));
      return send(res, 200, {
        status: 'ok',
        data: { aqi, iaqi: { pm25: { v: aqi }, pm10: { v: 20 } }, time: { s: `${state.aqicnNow} 09:00:00`, tz: '+01:00' } },
      });
    }
    if (url.pathname.startsWith('/v3/')) {
      if (req.headers['x-api-key'] !== 'test-openaq') return send(res, 401, { detail: 'Unauthorized' });
      const a = openAq(url.pathname, q);
      return send(res, a.status ?? 200, a.body);
    }
    send(res, 404, { error: true, reason: 'no such path' });
  };
  const server: Server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    env: {
      AIRQ_OPEN_METEO_ARCHIVE_URL: `${url}/archive`,
      AIRQ_OPEN_METEO_FORECAST_URL: `${url}/forecast`,
      AIRQ_OPEN_METEO_AIR_QUALITY_URL: `${url}/air-quality`,
      AIRQ_OPEN_METEO_GEOCODING_URL: `${url}/geocoding`,
      AIRQ_AQICN_URL: url,
      AIRQ_OPENAQ_URL: url,
      AQICN_API_KEY: 'test-aqicn',
      OPENAQ_API_KEY: 'test-openaq',
    },
    fail: (prefix, answer, times = 1_000_000, where) => void failures.push({ prefix, answer, times, where }),
    heal: () => {
      failures.splice(0);
      Object.assign(shift, { from: '9999-12-31', factor: 1 });
    },
    pollute: (from, factor) => void Object.assign(shift, { from, factor }),
    get aqicnNow() {
      return state.aqicnNow;
    },
    set aqicnNow(v: string) {
      state.aqicnNow = v;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
