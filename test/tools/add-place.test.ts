// add_place through a real MCP client, against local fake providers: a place added with progress and served after; every error with its hint; refused input.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import tool from '../../tools/add-place.tool.js';
import { RECOVERY } from '../../tools/errors.js';
import listLocations from '../../tools/list-locations.tool.js';
import { airq } from '../helpers/cli.js';
import { fakeProviders, type FakeProviders } from '../helpers/providers.js';
import { expectFailure, expectRefusedInput, toolClient, type ToolClient } from '../helpers/tool-client.js';

const DAY = '2024-03-10';
const saved = { ...process.env };
let fake: FakeProviders;
let root: string;
let storeDir: string;
let c: ToolClient;

// A live store with one place (Testville), built through the fake providers; add_place reads them from the environment, as `airq mcp` does.
beforeAll(async () => {
  fake = await fakeProviders({ aqicnToday: DAY });
  Object.assign(process.env, fake.env);
  root = mkdtempSync(join(tmpdir(), 'airq-tool-add-place-'));
  storeDir = join(root, 'store');
  const r = await airq(['places', 'add', 'Testville', '--today', DAY, '--store', storeDir], fake.env);
  expect(r.code, r.stderr).toBe(0);
  c = await toolClient(storeDir, { today: DAY, allowWrites: true });
}, 120_000);
afterAll(async () => {
  await c?.close();
  for (const k of Object.keys(fake?.env ?? {})) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  await fake?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Runs `fn` with one environment variable set to `value`, then as it was. */
async function withEnv<T>(name: string, value: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env[name];
  process.env[name] = value;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

describe('add_place', () => {
  it('adds a place narrowed by its region, with a year of history and a forecast, reporting progress', async () => {
    const progress: { progress: number; total?: number; message?: string }[] = [];
    const added = await c.answer(
      tool,
      { name: 'Springfield, Missouri' },
      { onprogress: (p) => void progress.push(p), timeout: 120_000, resetTimeoutOnProgress: true },
    );
    expect(added).toEqual({
      location: {
        location_id: 'springfield-missouri',
        name: 'Springfield, Missouri',
        city: 'Springfield',
        country: 'US',
        latitude: 37.22,
        longitude: -93.29,
        timezone: 'America/Chicago',
        source: 'open-meteo',
      },
      history_days: 366,
      history_until: DAY,
      forecast: { model: 'pm25_forecaster', version: 2, predictions_written: 14 },
      failed: [],
    });
    expect(progress.map((p) => p.progress)).toEqual([0, 1, 2, 3, 4]);
    expect(progress.every((p) => p.total === 4)).toBe(true);
    expect(progress.map((p) => p.message)).toEqual(expect.arrayContaining([expect.stringMatching(/looking up Springfield/), 'done']));
    // A server opened on the store now serves both places.
    const after = await toolClient(storeDir, { today: DAY });
    try {
      const { locations } = await after.answer(listLocations, {});
      expect(locations.map((l) => l.location_id)).toEqual(['springfield-missouri', 'testville']);
    } finally {
      await after.close();
    }
  }, 120_000);

  it('declares NOT_FOUND, USAGE, VALIDATION, CONFLICT, CONFIG and UNAVAILABLE', () => {
    expect(Object.keys(tool.errors).sort()).toEqual(['CONFIG', 'CONFLICT', 'NOT_FOUND', 'UNAVAILABLE', 'USAGE', 'VALIDATION']);
  });

  it('NOT_FOUND: a name the geocoder does not know', async () => {
    const r = await c.call(tool.name, { name: 'Atlantis' });
    expectFailure(r, 'NOT_FOUND', tool.errors.NOT_FOUND, /^no place called "Atlantis" was found/);
  });

  it('USAGE: a name several places share lists them; a pick past the list says how many there are', async () => {
    const several = await c.call(tool.name, { name: 'Springfield' });
    const f = expectFailure(several, 'USAGE', tool.errors.USAGE, /^3 places are called "Springfield": 1\. Springfield, Illinois/);
    expect(f.message).toMatch(/2\. Springfield, Missouri.*3\. Springfield, Massachusetts/);
    const past = await c.call(tool.name, { name: 'Springfield', pick: 5 });
    expectFailure(past, 'USAGE', tool.errors.USAGE, /there are only 3 matches for "Springfield"$/);
  });

  it("VALIDATION: neither a name nor both coordinates, or a name without a letter or digit, in words that are not the CLI's", async () => {
    for (const args of [{}, { latitude: 10 }]) {
      expectFailure(await c.call(tool.name, args), 'VALIDATION', tool.errors.VALIDATION, /^give the place a name, or its latitude and longitude$/);
    }
    const half = expectFailure(await c.call(tool.name, { name: 'X', latitude: 10 }), 'VALIDATION', tool.errors.VALIDATION, /give both latitude and longitude/);
    expectFailure(await c.call(tool.name, { name: '!!!' }), 'VALIDATION', tool.errors.VALIDATION, /a place name needs a letter or a digit/);
    expect(half.message).not.toMatch(/places add|--/);
  });

  it("a provider that refuses the request: the hint says it is not the call's fault", async () => {
    fake.fail('/geocoding', { status: 404 });
    try {
      const r = await c.call(tool.name, { name: 'Neukölln' });
      expectFailure(r, 'VALIDATION', RECOVERY.provider, /^Open-Meteo geocoding: HTTP 404/);
    } finally {
      fake.heal();
    }
  });

  it('CONFLICT: a place the store already has', async () => {
    const r = await c.call(tool.name, { name: 'Testville' });
    expectFailure(r, 'CONFLICT', tool.errors.CONFLICT, /^the store already has a place with id testville \(Testville\)/);
  });

  it('CONFIG: a provider address the operator set wrong', async () => {
    const r = await withEnv('AIRQ_OPEN_METEO_ARCHIVE_URL', 'ftp://archive.invalid', () => c.call(tool.name, { name: 'Neukölln' }));
    expectFailure(r, 'CONFIG', tool.errors.CONFIG, /^environment variable AIRQ_OPEN_METEO_ARCHIVE_URL: must be an http\(s\) URL$/);
  });

  it('UNAVAILABLE: a provider that keeps failing', async () => {
    fake.fail('/geocoding', { status: 503 });
    try {
      const r = await c.call(tool.name, { name: 'Neukölln' });
      expectFailure(r, 'UNAVAILABLE', tool.errors.UNAVAILABLE, /^Open-Meteo geocoding: HTTP 503 after 3 attempts/);
    } finally {
      fake.heal();
    }
  });

  it('refuses a latitude past the pole, at the input schema', async () => {
    expectRefusedInput(await c.call(tool.name, { latitude: 95, longitude: 10 }), tool.name, 'latitude');
  });
});
