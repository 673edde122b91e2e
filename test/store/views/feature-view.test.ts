// Feature views: definitions, training dataset versions (reproducible), splits, transformations, serving without skew.
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../../src/core/errors.js';
import { col, FeatureStore, frameRow, type ColumnSplit, type FeatureGroup, type Frame, type Split } from '../../../src/store/index.js';
import { tempDir, tempStore } from '../../helpers/tmp.js';
import { airAndWeather } from './fixture.js';

function viewSpec(air: FeatureGroup, weather: FeatureGroup) {
  return {
    name: 'pm25_model',
    version: 1,
    description: 'next-day PM2.5',
    query: air.select(['loc', 'date', 'pm25', 'pm25_lag1', 'city']).join(weather.select(['temp', 'wind'])),
    labels: ['pm25'],
    transformations: { pm25_lag1: 'minMaxScaler', temp: 'standardScaler', city: 'oneHotEncoder' },
  };
}

describe('feature view definitions', () => {
  it('are idempotent, versioned, and refuse a conflicting definition', async () => {
    const store = await tempStore();
    const { air, weather } = await airAndWeather(store);
    const v1 = await store.getOrCreateFeatureView(viewSpec(air, weather));
    expect(await store.getOrCreateFeatureView({ ...viewSpec(air, weather), description: 'new words' })).toBe(v1);
    const err = await store.getOrCreateFeatureView({ ...viewSpec(air, weather), transformations: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toMatch(/transformations differs\. Create version 2 instead/);
    const v2 = await store.getOrCreateFeatureView({ ...viewSpec(air, weather), version: 2, transformations: {} });
    expect(store.getFeatureView('pm25_model')).toBe(v2);
    expect(store.listFeatureViews().map((v) => v.version)).toEqual([1, 2]);
  });

  it('reject labels, helpers and transformations that do not fit the query, saying what to fix', async () => {
    const store = await tempStore();
    const { air, weather } = await airAndWeather(store);
    const base = viewSpec(air, weather);
    await expect(store.getOrCreateFeatureView({ ...base, labels: ['pm10'] })).rejects.toThrow(/label "pm10" is not in the query; its columns are: loc, date/);
    await expect(store.getOrCreateFeatureView({ ...base, transformations: { city: 'standardScaler' } })).rejects.toThrow(
      /standardScaler needs a numeric column, and "city" is string; use labelEncoder or oneHotEncoder/,
    );
    await expect(store.getOrCreateFeatureView({ ...base, transformations: { temp: 'magic' } })).rejects.toThrow(/unknown transformation "magic"/);
    await expect(store.getOrCreateFeatureView({ ...base, trainingHelperColumns: ['nope'] })).rejects.toThrow(ValidationError);
    await expect(store.getOrCreateFeatureView({ ...base, query: air.selectAll().join(weather.selectAll()).join(weather.selectAll()) })).rejects.toThrow(
      /column "temp" comes from both weather v1 and weather v1/,
    );
    expect(store.listFeatureViews()).toEqual([]);
  });
});

describe('training data', () => {
  it('returns features (no labels, keys or helpers) and labels, one row per label row, and records a version', async () => {
    const store = await tempStore();
    const { air, weather } = await airAndWeather(store);
    const fv = await store.getOrCreateFeatureView({ ...viewSpec(air, weather), transformations: {}, trainingHelperColumns: ['date'] });
    const td = await fv.trainingData({ includeTrainingHelperColumns: true });
    expect(td.version).toBe(1);
    expect(td.features).toHaveLength(18);
    expect(Object.keys(td.features[0]!)).toEqual(['pm25_lag1', 'city', 'temp', 'wind']);
    expect(td.labels[0]).toEqual({ pm25: 10 });
    expect(td.helpers![0]).toEqual({ date: '2024-01-01' });
    const info = await fv.trainingDataset(1);
    expect(info.sourceCommits.map((c) => c.featureGroup)).toEqual(['air', 'weather']);
    expect(info.featureNames).toEqual(['pm25_lag1', 'city', 'temp', 'wind']);
  });

  it('re-creates a version byte for byte after late and new data arrived', async () => {
    const store = await tempStore();
    const { air, weather } = await airAndWeather(store);
    const fv = await store.getOrCreateFeatureView(viewSpec(air, weather));
    const first = await fv.trainTestSplit({ testSize: 0.25, seed: 7 });
    // late data for a past day, a correction of an old row, and a new day
    await weather.insert([{ loc: 'a', date: '2024-01-03', temp: 99, wind: 99 }]);
    await air.insert([
      { loc: 'b', date: '2024-01-02', pm25: 500, pm25_lag1: 1, city: 'south' },
      { loc: 'a', date: '2024-01-07', pm25: 1, pm25_lag1: 2, city: 'east' },
    ]);
    const again = await fv.getTrainTestSplit(first.version);
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    const fresh = await fv.trainTestSplit({ testSize: 0.25, seed: 7 });
    expect(fresh.version).toBe(2);
    expect(JSON.stringify(fresh)).not.toBe(JSON.stringify(first));
  });

  it('returns the same data as columns (numbers typed, missing as NaN), for new and saved versions and every split kind', async () => {
    const store = await tempStore();
    const { air, weather } = await airAndWeather(store);
    const fv = await store.getOrCreateFeatureView({ ...viewSpec(air, weather), trainingHelperColumns: ['date'] });
    const asRows = (frame: Frame) => Array.from({ length: frame.rowCount }, (_, i) => frameRow(frame, i));
    const same = (rows: Split, cols: ColumnSplit) => {
      expect(asRows(cols.features)).toEqual(rows.features);
      expect(asRows(cols.labels)).toEqual(rows.labels);
      expect(asRows(cols.helpers!)).toEqual(rows.helpers);
    };
    const options = { includeTrainingHelperColumns: true } as const;
    const rows = await fv.trainingData(options);
    const cols = await fv.trainingData({ ...options, returnType: 'columns' });
    expect(cols.version).toBe(rows.version); // the same data: the same version
    same(rows, cols);
    expect(cols.features.names).toEqual(['pm25_lag1', 'city_north', 'city_south', 'temp', 'wind']);
    expect(cols.features.columns.temp).toBeInstanceOf(Float64Array);
    expect(cols.helpers!.columns.date).toEqual(rows.helpers!.map((h) => h.date));
    // pm25_lag1 is missing on each place's first day: NaN in its column, null in its row
    expect(rows.features.filter((r) => r.pm25_lag1 === null)).toHaveLength(3);
    expect(Array.from(cols.features.columns.pm25_lag1 as Float64Array).filter(Number.isNaN)).toHaveLength(3);
    for (const split of [
      { testSize: 0.3, seed: 4 },
      { trainEnd: '2024-01-04', testStart: '2024-01-05' },
    ]) {
      const r = await fv.trainTestSplit(split, options);
      const c = await fv.trainTestSplit(split, { ...options, returnType: 'columns' });
      same(r.train, c.train);
      same(r.test, c.test);
      const saved = await fv.getTrainTestSplit(r.version, { ...options, returnType: 'columns' });
      same(r.test, saved.test);
    }
  });

  it('as columns, fits transformations on key and helper columns too, and reads a view of keys only', async () => {
    const store = await tempStore();
    const { air, weather } = await airAndWeather(store);
    const fv = await store.getOrCreateFeatureView({
      ...viewSpec(air, weather),
      name: 'keyed',
      trainingHelperColumns: ['date'],
      transformations: { loc: 'labelEncoder', temp: 'standardScaler' },
    });
    const rows = await fv.trainingData();
    const cols = await fv.trainingData({ returnType: 'columns' });
    expect(cols.version).toBe(rows.version); // the same fitted state, so the same saved version
    expect((await fv.trainingDataset(rows.version)).transformationState.loc).toEqual({ categories: ['a', 'b', 'c'] });
    const keysOnly = await store.getOrCreateFeatureView({ name: 'keys_only', query: air.select(['loc', 'date']), labels: [] });
    const k = await keysOnly.trainingData({ returnType: 'columns' });
    expect([k.features.names, k.features.rowCount]).toEqual([[], (await keysOnly.trainingData()).features.length]);
    await expect(fv.trainingData({ returnType: 'objects' as 'rows' })).rejects.toThrow(/returnType/);
  });

  it('fits transformation state on the training split only', async () => {
    const store = await tempStore();
    const { air, weather } = await airAndWeather(store);
    const fv = await store.getOrCreateFeatureView(viewSpec(air, weather));
    const split = await fv.trainTestSplit({ trainEnd: '2024-01-04', testStart: '2024-01-05' });
    const state = (await fv.trainingDataset(split.version)).transformationState;
    // pm25_lag1 in training days (Jan 2-4) spans 10..33; the test days reach 35, which must not count
    expect(state.pm25_lag1).toEqual({ min: 10, max: 32 });
    expect(Math.max(...split.train.features.map((r) => r.pm25_lag1 as number))).toBe(1);
    expect(Math.max(...split.test.features.map((r) => r.pm25_lag1 as number))).toBeGreaterThan(1);
    expect(split.train.features.every((r) => r.city_north === 0 || r.city_north === 1)).toBe(true);
    expect(split.train.features).toHaveLength(12);
    expect(split.test.features).toHaveLength(6);
  });

  it('random splits are deterministic for a seed, and three-way splits partition the rows', async () => {
    const store = await tempStore();
    const { air, weather } = await airAndWeather(store);
    const fv = await store.getOrCreateFeatureView({ ...viewSpec(air, weather), transformations: {} });
    const a = await fv.trainTestSplit({ testSize: 0.5, seed: 1 });
    const b = await fv.trainTestSplit({ testSize: 0.5, seed: 1 });
    const c = await fv.trainTestSplit({ testSize: 0.5, seed: 2 });
    expect(b.test).toEqual(a.test);
    expect(c.test).not.toEqual(a.test);
    const three = await fv.trainValidationTestSplit({ validationSize: 1 / 3, testSize: 1 / 3, seed: 3 });
    expect([three.train.labels.length, three.validation.labels.length, three.test.labels.length]).toEqual([6, 6, 6]);
    const all = [...three.train.labels, ...three.validation.labels, ...three.test.labels].map((l) => l.pm25).sort();
    expect(all).toEqual((await fv.trainingData()).labels.map((l) => l.pm25).sort());
    await expect(fv.trainTestSplit({ testSize: 1.5, seed: 1 })).rejects.toThrow(ValidationError);
    await expect(fv.getTrainingData(99)).rejects.toThrow(NotFoundError);
  });

  it('applies time ranges and extra filters, and supports user-defined transformations', async () => {
    const store = await tempStore();
    store.registerTransformation('double', {
      numericOnly: true,
      fit: () => ({}),
      outputs: (f) => [f],
      apply: (v) => [typeof v === 'number' ? v * 2 : null],
    });
    const { air, weather } = await airAndWeather(store);
    const fv = await store.getOrCreateFeatureView({ ...viewSpec(air, weather), transformations: { wind: 'double' } });
    const td = await fv.trainingData({ startTime: '2024-01-02', endTime: '2024-01-03', extraFilter: col('loc').eq('a') });
    expect(td.labels.map((l) => l.pm25)).toEqual([11, 12]);
    expect(td.features.map((f) => f.wind)).toEqual([8, 6]);
  });
});

describe('serving', () => {
  it('online vectors equal the transformed batch rows for the same entity and time, column by column', async () => {
    const store = await tempStore();
    const { air, weather } = await airAndWeather(store);
    const fv = await store.getOrCreateFeatureView(viewSpec(air, weather));
    const split = await fv.trainTestSplit({ testSize: 0.3, seed: 5 });
    await fv.initServing(split.version);
    await fv.initBatchScoring(split.version);
    const batch = await fv.getBatchData({ startTime: '2024-01-06', endTime: '2024-01-06' });
    expect(batch.keys.map((k) => k.loc)).toEqual(['a', 'b', 'c']);
    const names = await fv.featureNames();
    expect(names).toEqual(['pm25_lag1', 'city_north', 'city_south', 'temp', 'wind']);
    for (const [i, key] of batch.keys.entries()) {
      const online = (await fv.getFeatureVector({ loc: key.loc })) as Record<string, unknown>;
      for (const name of names) expect([key.loc, name, online[name]]).toEqual([key.loc, name, batch.features[i]![name]]);
    }
    const asArray = await fv.getFeatureVector({ loc: 'b' }, { returnType: 'array' });
    expect(asArray).toEqual(names.map((n) => batch.features[1]![n]));
  });

  it('gives batch data for a list of entities, with keys to attach predictions to', async () => {
    const store = await tempStore();
    const { air, weather } = await airAndWeather(store);
    const fv = await store.getOrCreateFeatureView({ ...viewSpec(air, weather), transformations: {}, inferenceHelperColumns: ['pm25_lag1'] });
    const batch = await fv.getBatchData({ entities: [{ loc: 'c' }, { loc: 'a' }], startTime: '2024-01-05', includeInferenceHelperColumns: true });
    expect(batch.keys).toEqual([
      { loc: 'a', date: '2024-01-05' },
      { loc: 'a', date: '2024-01-06' },
      { loc: 'c', date: '2024-01-05' },
      { loc: 'c', date: '2024-01-06' },
    ]);
    expect(Object.keys(batch.features[0]!)).toEqual(['city', 'temp', 'wind']);
    expect(batch.helpers!.map((h) => h.pm25_lag1)).toEqual([13, 14, 33, 34]);
    expect(await fv.getBatchData({ entities: [] })).toEqual({ keys: [], features: [] });
    // The same as columns: numbers typed, row for row the same
    const options = { entities: [{ loc: 'c' }, { loc: 'a' }], startTime: '2024-01-05', includeInferenceHelperColumns: true } as const;
    const cols = await fv.getBatchData({ ...options, returnType: 'columns' });
    const asRows = (f: Frame) => Array.from({ length: f.rowCount }, (_, i) => frameRow(f, i));
    expect([asRows(cols.keys), asRows(cols.features), asRows(cols.helpers!)]).toEqual([batch.keys, batch.features, batch.helpers]);
    expect(cols.features.columns.temp).toBeInstanceOf(Float64Array);
    expect((await fv.getBatchData({ entities: [], returnType: 'columns' })).features.rowCount).toBe(0);
  });

  it('merges passed features, and reports missing entities and keys clearly', async () => {
    const store = await tempStore();
    const { air, weather } = await airAndWeather(store);
    const fv = await store.getOrCreateFeatureView({ ...viewSpec(air, weather), transformations: {} });
    expect(await fv.getFeatureVector({ loc: 'a' }, { passedFeatures: { temp: -40 } })).toMatchObject({ temp: -40, wind: 0 });
    await expect(fv.getFeatureVector({ loc: 'zzz' })).rejects.toThrow(/no online row for loc=zzz in air/);
    expect(await fv.getFeatureVector({ loc: 'zzz' }, { allowMissing: true })).toEqual({ pm25_lag1: null, city: null, temp: null, wind: null });
    await expect(fv.getFeatureVector({})).rejects.toThrow(/the serving key needs loc/);
    await expect(fv.getFeatureVector({ loc: 'a' }, { passedFeatures: { nope: 1 } })).rejects.toThrow(/passed feature "nope"/);
    const vectors = await fv.getFeatureVectors([{ loc: 'a' }, { loc: 'c' }]);
    expect(vectors).toHaveLength(2);
  });

  it('needs training data before serving a view with transformations, and online-enabled groups', async () => {
    const store = await tempStore();
    const { air } = await airAndWeather(store);
    const offline = await store.getOrCreateFeatureGroup({
      name: 'offline_only',
      primaryKey: 'loc',
      eventTime: 'date',
      schema: [
        { name: 'loc', type: 'string' },
        { name: 'date', type: 'date' },
        { name: 'x', type: 'float' },
      ],
    });
    await offline.insert([{ loc: 'a', date: '2024-01-01', x: 1 }]);
    const withT = await store.getOrCreateFeatureView({
      name: 't',
      query: air.select(['loc', 'date', 'pm25_lag1']),
      transformations: { pm25_lag1: 'minMaxScaler' },
    });
    await expect(withT.getFeatureVector({ loc: 'a' })).rejects.toThrow(/has transformations but no training data yet/);
    const mixed = await store.getOrCreateFeatureView({ name: 'mixed', query: air.select(['loc', 'date', 'pm25']).join(offline.select(['x'])) });
    await expect(mixed.getFeatureVector({ loc: 'a' })).rejects.toThrow(/offline_only v1 is not online-enabled/);
  });

  it('views and training dataset versions survive reopening the store', async () => {
    const dir = tempDir();
    let store = await FeatureStore.open({ dir });
    const { air, weather } = await airAndWeather(store);
    const first = await (await store.getOrCreateFeatureView(viewSpec(air, weather))).trainTestSplit({ testSize: 0.25, seed: 9 });
    await store.close();
    store = await FeatureStore.open({ dir });
    const fv = store.getFeatureView('pm25_model', 1);
    expect(JSON.stringify(await fv.getTrainTestSplit(first.version))).toBe(JSON.stringify(first));
    await store.close();
  });
});
