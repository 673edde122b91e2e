// The aqicn live API against a local replay server: a reading in µg/m³, an invalid key, the token kept out of errors.
import { describe, expect, it } from 'vitest';
import { aqicnCurrent } from '../../src/airquality/sources/aqicn-api.js';
import { providerConfig } from '../../src/core/config.js';
import { replayServer } from '../helpers/replay-server.js';

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
    const { token, baseUrl } = providerConfig({ AQICN_API_KEY: 'secret', AIRQ_AQICN_URL: s.url }).aqicn;
    const config = { token: token!, station: '@10009', baseUrl };
    expect(await aqicnCurrent(config)).toEqual({ date: '2024-01-11', pm25: 12.1, pm10: 22 }); // PM10 AQI 20: 20 * 54 / 50 = 21.6
    expect(s.requests[0]!.searchParams.get('token')).toBe('secret');
    s.script('/feed/@10009/', [{ body: { status: 'error', data: 'Invalid key' } }]);
    const err = await aqicnCurrent(config).then(
      () => new Error('expected the invalid key to be refused'),
      (e: Error) => e,
    );
    expect(err.message).toMatch(/Invalid key; check AQICN_API_KEY/);
    expect(err.message).not.toContain('secret');
    expect(providerConfig({}).aqicn.token).toBeUndefined();
  });
});
