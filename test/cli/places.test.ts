// `airq places`, `airq run` and `airq status` as a user runs them, against the local provider stand-in: adding, catching up, failing, retraining, removing.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureStore, col } from '../../src/store/index.js';
import { fakeProviders, type FakeProviders } from '../helpers/providers.js';
import { airq, lastJson } from '../helpers/cli.js';
import { copyStoreForFile, removeStoreCopy } from '../helpers/stores.js';
import { tempDir } from '../helpers/tmp.js';

const DAY = '2024-03-10';
let fake: FakeProviders;
let base: string; // Testville and Springfield (Missouri), run on DAY

beforeAll(async () => {
  fake = await fakeProviders({ aqicnToday: DAY });
  base = join(mkdtempSync(join(tmpdir(), 'airq-places-')), 'store');
  const env = { ...fake.env, AIRQ_STORE: base, AIRQ_TODAY: DAY };
  expect((await airq(['places', 'add', 'Testville', '--no-run'], env)).code).toBe(0);
  const second = await airq(['places', 'add', 'Springfield, Missouri'], env);
  expect(second.code, second.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  await fake.close();
  rmSync(dirname(base), { recursive: true, force: true });
});

/** A copy of the two-place store for one test, and the env that points at it on `today`. */
function copy(today = DAY) {
  const dir = copyStoreForFile(base);
  return { dir, env: { ...fake.env, AIRQ_STORE: dir, AIRQ_TODAY: today }, done: () => removeStoreCopy(dir) };
}

async function read<T>(dir: string, fn: (s: FeatureStore) => Promise<T>): Promise<T> {
  const store = await FeatureStore.open({ dir, readOnly: true });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const lastDay = (dir: string, id: string) =>
  read(dir, async (s) =>
    (await s.getFeatureGroup('air_quality').select(['date']).filter(col('location_id').eq(id)).read())
      .map((r) => r.date as string)
      .sort()
      .at(-1),
  );

describe('airq places add', () => {
  it('adds by name, backfills a year labelled as model values, trains and forecasts both places', async () => {
    const c = copy();
    const list = lastJson(await airq(['places', 'list', '--json'], c.env));
    const places = list.places as { id: string; timezone: string; last_observation: string; forecast_until: string; source: string; data: string }[];
    expect(places.map((p) => [p.id, p.timezone, p.last_observation, p.forecast_until])).toEqual([
      ['springfield-missouri', 'America/Chicago', DAY, '2024-03-17'],
      ['testville', 'Europe/Berlin', DAY, '2024-03-17'],
    ]);
    expect(places[0]!.data).toMatch(/CAMS model values/);
    const status = lastJson(await airq(['status', '--json'], c.env));
    expect(status).toMatchObject({ today: DAY, source: 'live', stale: false, model: { name: 'pm25_forecaster', trained_through: DAY, retrain_due: null } });
    expect(status.last_run).toMatchObject({ status: 'ok', trigger: 'cli', retrain_reason: 'no forecaster has been trained on this store yet' });
    const days = await read(c.dir, (s) => s.getFeatureGroup('air_quality').filter(col('location_id').eq('testville')).count());
    expect(days).toBe(366);
    c.done();
  });

  it('lists the candidates when several places match, and takes --pick N or coordinates', async () => {
    const c = copy();
    const many = await airq(['places', 'add', 'Springfield', '--no-run'], c.env);
    expect(many.code).toBe(2);
    expect(many.stderr).toMatch(/3 places are called "Springfield": 1\. Springfield, Illinois, United States .*; 3\. Springfield, Massachusetts.*--pick N/);
    const none = await airq(['places', 'add', 'Atlantis', '--no-run'], c.env);
    expect([none.code, none.stderr]).toEqual([1, expect.stringMatching(/no place called "Atlantis" was found; .*latitude and longitude \(--lat, --lon\)/)]);
    const byPick = lastJson(await airq(['places', 'add', 'Springfield', '--pick', '3', '--no-run', '--json'], c.env));
    expect(byPick.place).toMatchObject({
      location_id: 'springfield',
      name: 'Springfield',
      latitude: 42.1,
      timezone: 'America/New_York',
      aliases: 'Springfield,Massachusetts',
    });
    const again = await airq(['places', 'add', 'Springfield', '--pick', '1', '--no-run'], c.env);
    expect([again.code, again.stderr]).toEqual([1, expect.stringMatching(/already has a place with id springfield \(Springfield\); remove it first/)]);
    const home = lastJson(await airq(['places', 'add', 'My Home', '--lat', '48.2', '--lon', '16.37', '--no-run', '--json'], c.env));
    expect(home.place).toMatchObject({ location_id: 'my-home', latitude: 48.2, longitude: 16.37, timezone: 'Europe/Berlin', source: 'open-meteo' });
    const district = lastJson(await airq(['places', 'add', 'Berlin Neukölln', '--no-run', '--json'], c.env));
    expect(district.place).toMatchObject({ location_id: 'berlin-neukolln', name: 'Berlin Neukölln', city: 'Neukölln', timezone: 'Europe/Berlin' });
    const tokyo = lastJson(await airq(['places', 'add', '東京', '--lat', '35.68', '--lon', '139.69', '--timezone', 'asia/tokyo', '--no-run', '--json'], c.env));
    expect(tokyo.place).toMatchObject({ location_id: 'place-35-68-139-69', name: '東京', timezone: 'Asia/Tokyo' }); // no ASCII to slug; the zone as IANA spells it
    const run = lastJson(await airq(['run', '--json'], c.env));
    expect(run.retrain).toMatchObject({
      reason: 'the places changed since the last training (added berlin-neukolln, my-home, place-35-68-139-69, springfield)',
    });
    expect(run.forecast).toMatchObject({ predictions_written: 42 });
    c.done();
  });

  it('refuses bad input with one clear line and writes nothing', async () => {
    const dir = join(tempDir('airq-bad-'), 'store');
    const env = { ...fake.env, AIRQ_STORE: dir, AIRQ_TODAY: DAY };
    const cases: [string[], number, RegExp][] = [
      [['places', 'add', 'X', '--lat', '95', '--lon', '10'], 2, /places add: latitude: must be between -90 and 90/],
      [['places', 'add', 'X', '--lat', '50'], 2, /places add: give both latitude and longitude/],
      [['places', 'add', 'X', '--lat', 'north', '--lon', '1'], 2, /--lat: must be a number/],
      [['places', 'add', 'X', '--timezone', 'Mars/Olympus'], 2, /not a known IANA time zone/],
      [['places', 'add', '   '], 2, /the place needs a name/],
      [['places', 'add', '!!!'], 2, /a place name needs a letter or a digit/],
      [['places', 'add', 'X', '--sensor', 'purpleair:1'], 2, /is not a sensor id; write aqicn:FEED .* or openaq:LOCATION_ID/],
      [['places', 'add', 'X', '--sensor', 'openaq:12a'], 2, /is not a sensor id/],
      [['places', 'add', 'X', '--pick', '0'], 2, /--pick: must be a whole number from 1 to 10/],
      [['places', 'add', 'X', '--pick', 'x'], 2, /--pick: must be a whole number from 1 to 10/],
    ];
    for (const [args, code, message] of cases) {
      const r = await airq(args, env);
      expect([r.code, r.stderr.trim().split('\n').length], args.join(' ')).toEqual([code, 1]);
      expect(r.stderr).toMatch(message);
    }
    const noKey = await airq(['places', 'add', 'Test Street', '--sensor', 'openaq:2178'], { ...env, OPENAQ_API_KEY: '' });
    expect([noKey.code, noKey.stderr]).toEqual([1, expect.stringMatching(/an OpenAQ sensor needs OPENAQ_API_KEY/)]);
    expect(existsSync(dir)).toBe(false); // a failed first add leaves no store behind
    // A provider answering badly writes nothing either.
    fake.fail('/air-quality', { body: { latitude: 1 } }, 1);
    const bad = await airq(['places', 'add', 'Testville', '--no-run'], env);
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringMatching(/Open-Meteo air quality: the answer is not in the documented format/)]);
    expect(existsSync(dir)).toBe(false);
  });

  it('adds an OpenAQ location by its id alone: its coordinates, zone and name come from OpenAQ', async () => {
    const c = copy();
    const r = lastJson(await airq(['places', 'add', 'Test Street', '--sensor', 'openaq:2178', '--no-run', '--json'], c.env));
    expect(r.place).toMatchObject({ location_id: 'test-street', city: 'New York', country: 'US', timezone: 'America/New_York', source: 'openaq:2178' });
    const sources = await read(c.dir, async (s) =>
      (await s.getFeatureGroup('air_quality').select(['pm25_source']).filter(col('location_id').eq('test-street')).read()).map((x) => x.pm25_source),
    );
    expect(sources.filter((x) => x === 'openaq').length).toBeGreaterThan(250);
    expect(sources.filter((x) => x === 'cams').length).toBeGreaterThan(50); // the sensor's gaps, labelled
    c.done();
  });
});

describe('airq run', () => {
  it('writes nothing on a second run the same day, and says so', async () => {
    const c = copy();
    const r = await airq(['run'], c.env);
    expect(r.stdout).toMatch(/the store is up to date for 2024-03-10: nothing new was written \(2 place\(s\) checked\)/);
    expect(lastJson(await airq(['run', '--json'], c.env))).toMatchObject({ up_to_date: true, failed: [] });
    c.done();
  });

  it('catches up 3 and then 10 missed days, and retrains once the model is over a week old', async () => {
    const c = copy('2024-03-13');
    const r = lastJson(await airq(['run', '--json'], c.env));
    expect(r.places).toEqual([
      expect.objectContaining({ id: 'springfield-missouri', status: 'updated', from: DAY, to: '2024-03-13', days: 4 }),
      expect.objectContaining({ id: 'testville', status: 'updated', from: DAY, to: '2024-03-13', days: 4 }),
    ]);
    expect(r.retrain).toBeNull();
    expect(await lastDay(c.dir, 'testville')).toBe('2024-03-13');
    const later = lastJson(await airq(['run', '--json'], { ...c.env, AIRQ_TODAY: '2024-03-23' }));
    expect(later.places).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'testville', from: '2024-03-13', to: '2024-03-23', days: 11 })]));
    expect(later.retrain).toMatchObject({ reason: expect.stringMatching(/learned from data up to 2024-03-10, 13 days ago \(retrained every 7 days\)/) });
    expect(later.forecast).toMatchObject({ predictions_written: 14 });
    c.done();
  });

  it('goes on when one place’s source fails, exits 1 naming it, and the next run retries it', async () => {
    const c = copy('2024-03-11');
    fake.fail('/air-quality', { status: 503 }, 1_000, (u) => u.searchParams.get('latitude') === '37.22');
    const r = await airq(['run', '--json'], c.env);
    fake.heal();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/1 part\(s\) of the run failed: springfield-missouri; the next run retries them/);
    const j = lastJson(r);
    expect(j.places).toEqual([
      expect.objectContaining({
        id: 'springfield-missouri',
        status: 'failed',
        error: expect.stringMatching(/Open-Meteo air quality: HTTP 503 after 3 attempts/),
      }),
      expect.objectContaining({ id: 'testville', status: 'updated' }),
    ]);
    expect(await lastDay(c.dir, 'springfield-missouri')).toBe(DAY);
    expect(await lastDay(c.dir, 'testville')).toBe('2024-03-11');
    const status = lastJson(await airq(['status', '--json'], c.env));
    expect(status.last_run).toMatchObject({ status: 'failed', errors: [expect.stringMatching(/^springfield-missouri: /)] });
    const retry = lastJson(await airq(['run', '--json'], c.env));
    expect(retry.places).toEqual([
      expect.objectContaining({ id: 'springfield-missouri', status: 'updated' }),
      expect.objectContaining({ id: 'testville', status: 'up-to-date' }),
    ]);
    expect(await lastDay(c.dir, 'springfield-missouri')).toBe('2024-03-11');
    c.done();
  }, 60_000);
});

describe('the drift rule', () => {
  it('retrains when a week of 1-day forecasts misses by far more than the validation error', async () => {
    const c = copy();
    fake.pollute('2024-03-11', 4); // the air gets four times worse from the day after training
    try {
      // Daily runs, as a schedule would make them, until one retrains: before the model is a week old, so not for its age.
      let retrain: unknown = null;
      for (let day = 11; day <= 17 && !retrain; day++) retrain = lastJson(await airq(['run', '--json'], { ...c.env, AIRQ_TODAY: `2024-03-${day}` })).retrain;
      expect(retrain).toMatchObject({
        reason: expect.stringMatching(
          /the last 14 days' 1-day hindcast RMSE [\d.]+ µg\/m³ exceeds the validation RMSE [\d.]+ by more than 30% \(\d+ forecasts\)/,
        ),
      });
    } finally {
      fake.heal();
      c.done();
    }
  }, 120_000);
});

describe('airq places remove', () => {
  it('removes a place and its data, or only the place with --keep-data; the next run retrains', async () => {
    const c = copy();
    const unknown = await airq(['places', 'remove', 'atlantis'], c.env);
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringMatching(/no place with id "atlantis"; the places are: springfield-missouri, testville/)]);
    const r = lastJson(await airq(['places', 'remove', 'springfield-missouri', '--json'], c.env));
    expect(r.rows).toMatchObject({ locations: 1, air_quality: 366, weather: 373 });
    expect(await lastDay(c.dir, 'springfield-missouri')).toBeUndefined();
    const run = lastJson(await airq(['run', '--json'], c.env));
    expect(run.retrain).toMatchObject({ reason: expect.stringMatching(/removed springfield-missouri/) });
    const kept = lastJson(await airq(['places', 'remove', 'testville', '--keep-data', '--json'], c.env));
    expect(kept.rows).toEqual({ locations: 1 });
    expect(await lastDay(c.dir, 'testville')).toBe(DAY);
    c.done();
  });
});
