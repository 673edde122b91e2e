// One place's live pipeline against the local provider stand-in: weather from archive and forecast, air quality from CAMS, OpenAQ or aqicn, each day labelled; nothing written on a bad answer.
import { afterEach, describe, expect, it } from 'vitest';
import { runPlace, type Providers } from '../../src/airquality/pipelines/place-pipeline.js';
import { STOCKHOLM_HORNSGATAN, type Location } from '../../src/airquality/locations.js';
import { providerConfig } from '../../src/core/config.js';
import { col } from '../../src/store/index.js';
import { fakeProviders, type FakeProviders } from '../helpers/providers.js';
import { tempStore } from '../helpers/tmp.js';

let fake: FakeProviders;
afterEach(() => fake?.close());

const live = { source: 'live' as const, timezones: ['Europe/Stockholm'] };
const providers = (f: FakeProviders, warnings: string[] = []): Providers => ({
  config: providerConfig(f.env),
  fetch: { retries: 0 },
  warn: (m) => void warnings.push(m),
});

describe('a place pipeline', () => {
  it('backfills a CAMS place: old weather from the archive, the last 60 days and the 7-day forecast from the forecast API', async () => {
    fake = await fakeProviders();
    const store = await tempStore();
    const r = await runPlace(store, STOCKHOLM_HORNSGATAN, { start: '2024-01-01', end: '2024-03-31' }, live, providers(fake));
    expect(r).toMatchObject({ days: 91, forecastDays: 7 });
    const archive = fake.requests.find((u) => u.pathname === '/archive')!;
    expect([archive.searchParams.get('start_date'), archive.searchParams.get('end_date')]).toEqual(['2024-01-01', '2024-01-31']);
    const forecast = fake.requests.find((u) => u.pathname === '/forecast')!;
    expect([forecast.searchParams.get('start_date'), forecast.searchParams.get('end_date')]).toEqual(['2024-02-01', '2024-04-07']);
    const weather = store.getFeatureGroup('weather');
    expect(await weather.filter(col('is_forecast').eq(true)).count()).toBe(7);
    expect((await weather.filter(col('date').eq('2024-04-07')).read())[0]).toMatchObject({ forecast_issued_on: '2024-03-31' });
    const air = await store.getFeatureGroup('air_quality').read();
    expect(new Set(air.map((a) => a.pm25_source))).toEqual(new Set(['cams']));
    expect((await store.getFeatureGroup('air_quality_lags').filter(col('date').eq('2024-03-31')).read())[0]!.pm25_lag1).toBe(
      air.find((a) => a.date === '2024-03-30')!.pm25,
    );
  });

  it('takes an OpenAQ sensor’s daily means, converts ppb, and fills its gaps from CAMS labelled so', async () => {
    fake = await fakeProviders();
    const store = await tempStore();
    const place: Location = {
      ...STOCKHOLM_HORNSGATAN,
      location_id: 'test-street',
      latitude: 40.71,
      longitude: -74,
      timezone: 'America/New_York',
      source: 'openaq:2178',
    };
    await runPlace(store, place, { start: '2024-03-01', end: '2024-03-10' }, live, providers(fake));
    const air = (await store.getFeatureGroup('air_quality').read()).sort((a, b) => String(a.date).localeCompare(String(b.date)));
    expect(air).toHaveLength(10);
    const sources = air.map((a) => a.pm25_source);
    expect(sources.filter((s) => s === 'openaq')).toHaveLength(8); // the stand-in drops every 5th day
    expect(sources.filter((s) => s === 'cams')).toHaveLength(2);
    const measured = air.find((a) => a.pm25_source === 'openaq')!;
    expect(measured.no2).toBeCloseTo((measured.pm25 as number) * 0.4 * 1.88, 0); // ppb -> µg/m³
    expect(fake.requests.some((u) => u.pathname === '/v3/sensors/21781/days')).toBe(true);
  });

  it('takes the day’s value from an aqicn station; a stale station leaves CAMS for the day, with a warning', async () => {
    fake = await fakeProviders({ aqicnToday: '2024-03-10' });
    const store = await tempStore();
    const place = { ...STOCKHOLM_HORNSGATAN, source: 'aqicn:@10009' };
    await runPlace(store, place, { start: '2024-03-08', end: '2024-03-10' }, live, providers(fake));
    const day = async (d: string) => (await store.getFeatureGroup('air_quality').filter(col('date').eq(d)).read())[0]!;
    expect((await day('2024-03-10')).pm25_source).toBe('aqicn');
    expect((await day('2024-03-09')).pm25_source).toBe('cams');
    const warnings: string[] = [];
    // The next day's run reads 03-10 again: the station's measurement of that day is kept, not replaced by CAMS.
    const measured = (await day('2024-03-10')).pm25;
    await runPlace(store, place, { start: '2024-03-10', end: '2024-03-11' }, live, providers(fake, warnings));
    expect(await day('2024-03-10')).toMatchObject({ pm25_source: 'aqicn', pm25: measured });
    expect((await store.getFeatureGroup('air_quality_lags').filter(col('date').eq('2024-03-11')).read())[0]!.pm25_lag1).toBe(measured);
    expect((await day('2024-03-11')).pm25_source).toBe('cams');
    expect(warnings.join('\n')).toMatch(/latest reading for @10009 is from 2024-03-10, not 2024-03-11; the station may be offline — CAMS stands in/);
  });

  it('writes nothing for the place when a provider answers with something malformed', async () => {
    fake = await fakeProviders();
    fake.fail('/air-quality', { body: { latitude: 1, longitude: 2, hourly: { time: ['2024-01-01T00:00'], pm2_5: [] } } });
    const store = await tempStore();
    await expect(runPlace(store, STOCKHOLM_HORNSGATAN, { start: '2024-01-01', end: '2024-01-10' }, live, providers(fake))).rejects.toThrow(
      /not in the documented format/,
    );
    expect((await Promise.all(store.listFeatureGroups().map((g) => g.count()))).every((n) => n === 0)).toBe(true);
  });
});
