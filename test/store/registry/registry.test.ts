// The model registry: versions, immutability, artifacts round-trip, best model, model card and lineage.
import { mkdirSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../../src/core/errors.js';
import { FeatureStore } from '../../../src/store/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { airAndWeather } from '../views/fixture.js';

function artifacts(content: string): string {
  const dir = tempDir('airq-artifacts-');
  writeFileSync(join(dir, 'model.json'), content);
  mkdirSync(join(dir, 'images'));
  writeFileSync(join(dir, 'images', 'importance.svg'), '<svg/>');
  return dir;
}

async function storeWithView(dir = tempDir()) {
  const store = await FeatureStore.open({ dir });
  const { air, weather } = await airAndWeather(store);
  const fv = await store.getOrCreateFeatureView({
    name: 'pm25_fv',
    query: air.select(['loc', 'date', 'pm25', 'pm25_lag1']).join(weather.select(['temp'])),
    labels: ['pm25'],
    transformations: { temp: 'standardScaler' },
  });
  const split = await fv.trainTestSplit({ testSize: 0.25, seed: 1 });
  return { store, fv, td: split.version, dir };
}

describe('model registry', () => {
  it('auto-increments versions, keeps models immutable, and round-trips artifacts', async () => {
    const { store, fv, td } = await storeWithView();
    const draft = await store.registry.createModel({ name: 'gbdt', description: 'trees', metrics: { rmse: 40 }, featureView: fv, trainingDatasetVersion: td });
    const v1 = await draft.save(artifacts('{"trees":1}'));
    await expect(draft.save(artifacts('{"trees":9}'))).rejects.toThrow(ConflictError);
    const v2 = await (
      await store.registry.createModel({ name: 'gbdt', metrics: { rmse: 35 }, featureView: fv, trainingDatasetVersion: td })
    ).save(artifacts('{"trees":2}'));
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(v1.meta.files).toEqual(['images/importance.svg', 'model.json', 'model_card.md']);
    expect(v1.meta.images).toEqual(['images/importance.svg']);
    expect(v1.meta.features).toEqual(['pm25_lag1', 'temp']);
    const copy = v1.download();
    expect(readFileSync(join(copy, 'model.json'), 'utf8')).toBe('{"trees":1}');
    writeFileSync(join(copy, 'model.json'), 'changed'); // a private copy: the registry's stays as saved
    expect(readFileSync(join(v1.path, 'model.json'), 'utf8')).toBe('{"trees":1}');
    rmSync(copy, { recursive: true, force: true });
    expect(() => {
      (v1.meta.metrics as Record<string, number>).rmse = 1;
    }).toThrow(TypeError);
    expect(store.registry.getModel('gbdt', 1).metrics.rmse).toBe(40);
    await store.close();
  });

  it('finds the best version by a metric in either direction', async () => {
    const { store, fv, td } = await storeWithView();
    for (const [rmse, r2] of [
      [40, 0.5],
      [30, 0.4],
      [35, 0.7],
    ]) {
      await (
        await store.registry.createModel({ name: 'm', metrics: { rmse: rmse!, r2: r2! }, featureView: fv, trainingDatasetVersion: td })
      ).save(artifacts('{}'));
    }
    expect(store.registry.getBestModel('m', 'rmse', 'min').version).toBe(2);
    expect(store.registry.getBestModel('m', 'r2', 'max').version).toBe(3);
    expect(() => store.registry.getBestModel('m', 'mape', 'min')).toThrow(/no version of model m recorded the metric "mape"/);
    expect(() => store.registry.getModel('nope')).toThrow(NotFoundError);
    expect(() => store.registry.getModel('m', 9)).toThrow(/versions: 1, 2, 3/);
    await store.close();
  });

  it('rejects bad metadata and missing artifact directories, and registers nothing', async () => {
    const { store, fv, td } = await storeWithView();
    await expect(store.registry.createModel({ name: 'm', featureView: fv, trainingDatasetVersion: 99 })).rejects.toThrow(NotFoundError);
    await expect(store.registry.createModel({ name: 'm', metrics: { rmse: Number.NaN }, featureView: fv, trainingDatasetVersion: td })).rejects.toThrow(
      ValidationError,
    );
    await expect(store.registry.createModel({ name: 'Bad Name', featureView: fv, trainingDatasetVersion: td })).rejects.toThrow(ValidationError);
    const draft = await store.registry.createModel({ name: 'm', featureView: fv, trainingDatasetVersion: td });
    await expect(draft.save('/nonexistent/artifacts')).rejects.toThrow(/needs a directory of artifacts/);
    expect(store.registry.list()).toEqual([]);
    await store.close();
  });

  it('writes a model card and traces lineage from the source to the model', async () => {
    const dir = tempDir();
    const store = await FeatureStore.open({ dir });
    const labels = await store.getOrCreateFeatureGroup({
      name: 'labels',
      source: 'uci-beijing',
      primaryKey: 'loc',
      eventTime: 'date',
      onlineEnabled: true,
      schema: [
        { name: 'loc', type: 'string' },
        { name: 'date', type: 'date' },
        { name: 'y', type: 'float' },
        { name: 'x', type: 'float' },
      ],
    });
    await labels.insert([{ loc: 'a', date: '2024-01-01', y: 1, x: 2 }]);
    const fv = await store.getOrCreateFeatureView({ name: 'lv', query: labels.selectAll(), labels: ['y'] });
    const td = (await fv.trainingData()).version;
    const model = await (
      await store.registry.createModel({ name: 'lm', description: 'a line', metrics: { rmse: 1.5 }, featureView: fv, trainingDatasetVersion: td })
    ).save(artifacts('{}'));
    const card = readFileSync(join(model.path, 'model_card.md'), 'utf8');
    expect(card).toMatch(/# lm v1/);
    expect(card).toMatch(/\| rmse \| 1\.5 \|/);
    expect(card).toMatch(/source:uci-beijing -> featureGroup:labels@1/);
    expect(card).toMatch(/trainingDataset:lv@1\/1 -> model:lm@1/);
    const g = await store.lineage({ kind: 'model', name: 'lm' });
    expect(g.nodes.map((n) => n.id)).toEqual(['featureGroup:labels@1', 'source:uci-beijing', 'featureView:lv@1', 'trainingDataset:lv@1/1', 'model:lm@1']);
    expect(g.edges).toHaveLength(4);
    const down = await store.lineage({ kind: 'source', name: 'uci-beijing' });
    expect(down.nodes.map((n) => n.kind)).toContain('model');
    await store.close();
  });

  it('survives reopening, and model.getFeatureView serves with the training dataset version of the model', async () => {
    const { store, fv, td, dir } = await storeWithView();
    await (await store.registry.createModel({ name: 'gbdt', metrics: { rmse: 1 }, featureView: fv, trainingDatasetVersion: td })).save(artifacts('{}'));
    // a later training dataset version with different scaler state must not be the one served
    await fv.trainTestSplit({ testSize: 0.75, seed: 2 });
    await store.close();
    const again = await FeatureStore.open({ dir });
    const model = again.registry.getModel('gbdt');
    expect(model.meta.trainingDatasetVersion).toBe(td);
    const view = await model.getFeatureView();
    const vector = (await view.getFeatureVector({ loc: 'a' })) as Record<string, number>;
    const state = (await view.trainingDataset(td)).transformationState.temp as { mean: number; std: number };
    expect(vector.temp).toBeCloseTo((2.5 - state.mean) / state.std, 12);
    expect(existsSync(join(dir, 'models', 'gbdt', '1', 'model.json'))).toBe(true);
    await again.close();
  });
});
