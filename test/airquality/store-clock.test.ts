// The store's own clock and source: replay stores stand at their last run's day, a store holds one source, and serving
// uses only models trained on the store's current data (retraining the same data registers nothing new).
import { describe, expect, it } from 'vitest';
import { servedModel, trainForecaster } from '../../src/airquality/forecast/train.js';
import { LOCATIONS } from '../../src/airquality/feature-groups.js';
import { runSynthetic } from '../../src/airquality/pipelines/synthetic-pipeline.js';
import { placeToday, readSource, SOURCE_PROPERTY, storeToday, todayIn, todayOf, TODAY_PROPERTY } from '../../src/airquality/store-clock.js';
import { ConfigError, ConflictError, NotFoundError } from '../../src/core/errors.js';
import { FeatureStore } from '../../src/store/index.js';
import { airq } from '../helpers/cli.js';
import { beijingStore, copyStore, syntheticStore, SYNTHETIC_TODAY } from '../helpers/stores.js';
import { tempDir } from '../helpers/tmp.js';

const beijing = beijingStore();

describe('the store clock', () => {
  it('a replay store stands at the day its last run brought it to; a daily run moves it, an older day does not move it back', async () => {
    const dir = tempDir();
    const store = await FeatureStore.open({ dir });
    expect(readSource(store)).toBeUndefined();
    expect(storeToday(store, new Date('2026-03-01T23:30:00Z'))).toBe('2026-03-01'); // nothing imported: the real date
    await runSynthetic(store, { end: '2024-06-30', seed: 1 });
    expect(readSource(store)).toEqual({ source: 'synthetic', seed: 1 });
    expect(storeToday(store)).toBe('2024-06-30');
    await runSynthetic(store, { start: '2024-07-01', end: '2024-07-01', forecastDays: 7, seed: 1 });
    expect(storeToday(store)).toBe('2024-07-01');
    await runSynthetic(store, { start: '2024-06-15', end: '2024-06-15', seed: 1 });
    expect(storeToday(store)).toBe('2024-07-01');
    expect(todayOf(store, '2024-01-05')).toBe('2024-01-05');
    await store.close();
    // Readers see the clock the run committed with its data.
    const reader = await FeatureStore.open({ dir, readOnly: true });
    expect(storeToday(reader)).toBe('2024-07-01');
    await reader.close();
  });

  it('a live store follows the real date in its place’s time zone', () => {
    const late = new Date('2026-11-29T23:30:00Z');
    expect(todayIn('Europe/Stockholm', late)).toBe('2026-11-30');
    expect(todayIn('America/New_York', late)).toBe('2026-11-29');
    expect(() => todayIn('Mars/Olympus_Mons')).toThrow(/unknown time zone "Mars\/Olympus_Mons"/);
  });

  it('a live store of many places stands at the latest of their dates; each place answers from its own', async () => {
    const store = await FeatureStore.open({ dir: tempDir() });
    await store.setProperty(SOURCE_PROPERTY, { source: 'live', timezones: ['America/Chicago', 'Europe/Berlin'] });
    const late = new Date('2026-11-30T01:30:00Z'); // 02:30 in Berlin, 19:30 the evening before in Chicago
    expect(storeToday(store, late)).toBe('2026-11-30');
    expect(placeToday('Europe/Berlin', '2026-11-30', late)).toBe('2026-11-30');
    expect(placeToday('America/Chicago', '2026-11-30', late)).toBe('2026-11-29');
    // --today in the past (or a replay's day) holds for every place; a zone that cannot be read keeps the store's day.
    expect(placeToday('America/Chicago', '2024-03-10', late)).toBe('2024-03-10');
    expect(placeToday('Mars/Olympus_Mons', '2026-11-30', late)).toBe('2026-11-30');
    // A store of one place written before places had zones: its one zone.
    await store.setProperty(SOURCE_PROPERTY, { source: 'live', location: 'stockholm-hornsgatan', timezone: 'America/Chicago' });
    expect(storeToday(store, late)).toBe('2026-11-29');
    await store.close();
  });

  it('a damaged clock is one clear error', async () => {
    const store = await FeatureStore.open({ dir: copyStore(syntheticStore()) });
    await store.setProperty(TODAY_PROPERTY, 'yesterday');
    expect(() => storeToday(store)).toThrow(ConfigError);
    expect(() => storeToday(store)).toThrow(/the store's clock \(airq\.today\) is damaged; run the daily pipeline with --date to set it/);
    await store.close();
  });

  it('refuses to mix sources, naming both and the way out, and writes nothing', async () => {
    const dir = copyStore(syntheticStore());
    const store = await FeatureStore.open({ dir });
    const commits = store.lastCommitId;
    await expect(runSynthetic(store, { end: '2024-06-30', seed: 2 })).rejects.toThrow(ConflictError);
    await store.close();
    const r = await airq(['demo', '--source', 'beijing', '--path', '/nowhere', '--store', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/holds the synthetic city \(seed 1\); it cannot also take the UCI Beijing data\. Use another store for it \(--store DIR/);
    const after = await FeatureStore.open({ dir, readOnly: true });
    expect(after.lastCommitId).toBe(commits);
    await after.close();
  });
});

describe('the served model', () => {
  it('retraining the same data with the same code returns the registered version', async () => {
    const store = await FeatureStore.open({ dir: copyStore(syntheticStore()) });
    const again = await trainForecaster(store, SYNTHETIC_TODAY());
    expect([again.reused, again.model.version]).toEqual([true, 1]);
    expect(store.registry.list('pm25_forecaster')).toHaveLength(1);
    await store.close();
  }, 120_000);

  it('is one trained on the store’s current places; a new place needs training first', async () => {
    const store = await FeatureStore.open({ dir: copyStore(syntheticStore()) });
    expect((await servedModel(store)).version).toBe(1);
    const locations = await store.getOrCreateFeatureGroup(LOCATIONS);
    await locations.insert([
      { location_id: 'elsewhere', name: 'Elsewhere', city: 'E', country: 'ZZ', latitude: 1, longitude: 2, timezone: 'UTC', source: 'synthetic', aliases: '' },
    ]);
    await expect(servedModel(store)).rejects.toThrow(NotFoundError);
    await expect(servedModel(store)).rejects.toThrow(/trained on this store's current places \(2\) and inputs \(air_quality_fv v2\); run `airq train`/);
    await store.close();
  }, 120_000);
});

describe.skipIf(!beijing)('a Beijing demo store without --today', () => {
  it('answers "tomorrow" for the day after 2017-02-21, forecasts from it, and --today still overrides', async () => {
    const dir = copyStore(beijing!);
    const ask = await airq(['ask', 'Will the air be OK tomorrow in Dongsi?', '--json', '--store', dir]);
    expect(ask.code).toBe(0);
    const r = JSON.parse(ask.stdout.trim().split('\n').at(-1)!) as { tool_calls: { arguments: { start_date?: string } }[]; answer: string };
    expect(r.tool_calls[0]!.arguments.start_date).toBe('2017-02-22');
    expect(r.answer).toMatch(/2017-02-22: PM2\.5 forecast [\d.]+ µg\/m³/);
    const earlier = await airq(['ask', 'Will the air be OK tomorrow in Dongsi?', '--json', '--store', dir, '--today', '2017-02-20']);
    expect(JSON.parse(earlier.stdout.trim().split('\n').at(-1)!).tool_calls[0].arguments.start_date).toBe('2017-02-21');
    const forecast = await airq(['forecast', '--store', dir]);
    expect(forecast.stdout).toMatch(/^forecasts issued 2017-02-21 by pm25_forecaster v1/);
    expect(forecast.stdout).toMatch(/2017-02-22\s+1\s+[\d.]+/);
    const traces = await airq(['fg', 'read', 'traces', '--limit', '100', '--json', '--store', dir]);
    expect((JSON.parse(traces.stdout.trim().split('\n').at(-1)!) as { rows: unknown[] }).rows.length).toBeGreaterThan(0);
  }, 120_000);
});
