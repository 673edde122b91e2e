// `airq fv` and `airq models` on a store with a view, a training dataset version and a registered model.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FeatureStore } from '../../src/store/index.js';
import { airq, lastJson } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { airAndWeather } from '../store/views/fixture.js';

async function storeWithModel(): Promise<string> {
  const dir = tempDir();
  const store = await FeatureStore.open({ dir });
  const { air, weather } = await airAndWeather(store);
  const fv = await store.getOrCreateFeatureView({
    name: 'pm25_fv',
    description: 'next-day PM2.5',
    query: air.select(['loc', 'date', 'pm25', 'city']).join(weather.select(['temp'])),
    labels: ['pm25'],
    transformations: { city: 'labelEncoder' },
  });
  const { version } = await fv.trainTestSplit({ testSize: 0.25, seed: 3 });
  const artifacts = tempDir();
  mkdirSync(join(artifacts, 'images'));
  writeFileSync(join(artifacts, 'model.json'), '{}');
  writeFileSync(join(artifacts, 'images', 'pred.png'), 'png');
  await (await store.registry.createModel({ name: 'gbdt', metrics: { rmse: 42.5 }, featureView: fv, trainingDatasetVersion: version })).save(artifacts);
  await store.close();
  return dir;
}

describe('airq fv and airq models', () => {
  it('list and show feature views with their training datasets', async () => {
    const dir = await storeWithModel();
    const list = lastJson(await airq(['fv', 'list', '--json', '--store', dir]));
    expect(list.feature_views).toEqual([
      { name: 'pm25_fv', version: 1, labels: 'pm25', groups: 'air@1,weather@1', training_datasets: 1, description: 'next-day PM2.5' },
    ]);
    const show = await airq(['fv', 'show', 'pm25_fv', '--store', dir]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/city\s+string\s+air@1\.city\s+feature\s+labelEncoder/);
    expect(show.stdout).toMatch(/pm25\s+float\s+air@1\.pm25\s+label/);
    expect(show.stdout).toMatch(/1\s+\S+\s+random\s+train=13 test=5/);
    expect((await airq(['fv', 'show', 'nope', '--store', dir])).stderr).toMatch(/no feature view named "nope"; the store has: pm25_fv/);
  });

  it('list models and show a model card', async () => {
    const dir = await storeWithModel();
    const list = lastJson(await airq(['models', 'list', '--json', '--store', dir]));
    expect((list.models as { name: string; version: number; metrics: object }[]).map((m) => [m.name, m.version, m.metrics])).toEqual([
      ['gbdt', 1, { rmse: 42.5 }],
    ]);
    const show = await airq(['models', 'show', 'gbdt', '--store', dir]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/# gbdt v1/);
    expect(show.stdout).toMatch(/images\/pred\.png \(evaluation image\)/);
    expect(show.stdout).toMatch(/featureView:pm25_fv@1 -> trainingDataset:pm25_fv@1\/1/);
    const missing = await airq(['models', 'show', 'gbdt', '--version', '3', '--store', dir]);
    expect([missing.code, missing.stderr]).toEqual([1, 'airq: model gbdt has no version 3; versions: 1\n']);
  });
});
