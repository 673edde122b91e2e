// Exporting a saved training dataset version as files: the rows the library re-creates, a manifest written last, and refusals that change nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAtomically } from '../../../src/store/db/copy.js';
import { ExportManifestSchema, exportTrainingDataset, type FeatureStore } from '../../../src/store/index.js';
import { fileColumns, readFileRows } from '../../helpers/read-file.js';
import { tempDir, tempStore } from '../../helpers/tmp.js';
import { airAndWeather } from './fixture.js';

async function viewWithSplit(store: FeatureStore) {
  const { air, weather } = await airAndWeather(store);
  const fv = await store.getOrCreateFeatureView({
    name: 'pm25_fv',
    query: air.select(['loc', 'date', 'pm25', 'pm25_lag1', 'city']).join(weather.select(['temp'])),
    labels: ['pm25'],
    transformations: { city: 'oneHotEncoder', temp: 'standardScaler' },
    trainingHelperColumns: ['loc', 'date'],
  });
  const split = await fv.trainTestSplit({ testSize: 0.25, seed: 3 });
  return { fv, version: split.version };
}

/** A directory's files with their contents, to show a refused export changed nothing. */
const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));

const options = { airqVersion: '9.9.9', format: 'parquet' as const };

describe('exportTrainingDataset', () => {
  it('writes every split as the library re-creates it, with a manifest', async () => {
    const store = await tempStore();
    const { fv, version } = await viewWithSplit(store);
    const dir = join(tempDir(), 'out');
    const manifest = await exportTrainingDataset(fv, { ...options, dir });
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'test.parquet', 'train.parquet']);
    expect(ExportManifestSchema.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')))).toEqual(manifest);
    const expected = await fv.getTrainTestSplit(version, { includeTrainingHelperColumns: true });
    for (const split of ['train', 'test'] as const) {
      const want = expected[split].features.map((f, i) => ({ ...f, ...expected[split].labels[i], ...expected[split].helpers![i] }));
      expect(await readFileRows(join(dir, `${split}.parquet`), 'parquet')).toEqual(want);
      expect(manifest.files.find((f) => f.split === split)?.rows).toBe(want.length);
    }
    expect(manifest.files.map((f) => f.rows)).toEqual([13, 5]);
    // Features after their transformations (one-hot columns, a scaled temperature), then the label, then the helpers.
    expect(manifest.columns.map((c) => [c.name, c.type, c.role])).toEqual([
      ['pm25_lag1', 'float', 'feature'],
      ['city_north', 'float', 'feature'],
      ['city_south', 'float', 'feature'],
      ['temp', 'float', 'feature'],
      ['pm25', 'float', 'label'],
      ['loc', 'string', 'helper'],
      ['date', 'date', 'helper'],
    ]);
    expect(await fileColumns(join(dir, 'train.parquet'), 'parquet')).toEqual(manifest.columns.map((c) => [c.name, c.fileType]));
    const info = await fv.trainingDataset(version);
    expect(manifest).toMatchObject({
      featureView: { name: 'pm25_fv', version: 1 },
      trainingDataset: { version, split: { kind: 'random', testSize: 0.25, seed: 3 }, transformationState: info.transformationState },
      sourceCommits: info.sourceCommits,
      splits: ['train', 'test'],
      labels: ['pm25'],
      airqVersion: '9.9.9',
    });
  });

  it('writes one split as csv, and re-exporting the same replaces it', async () => {
    const store = await tempStore();
    const { fv, version } = await viewWithSplit(store);
    const dir = tempDir();
    await exportTrainingDataset(fv, { ...options, dir, format: 'csv', split: 'test' });
    const again = await exportTrainingDataset(fv, { ...options, dir, format: 'csv', split: 'test' });
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'test.csv']);
    const rows = await readFileRows(join(dir, 'test.csv'), 'csv');
    const { test } = await fv.getTrainTestSplit(version);
    expect(rows.map((r) => r.pm25)).toEqual(test.labels.map((l) => l.pm25));
    expect(again.files).toEqual([{ split: 'test', file: 'test.csv', rows: 5 }]);
  });

  it('refuses what it should not write, and changes nothing', async () => {
    const store = await tempStore();
    const { fv } = await viewWithSplit(store);
    const dir = tempDir();
    await exportTrainingDataset(fv, { ...options, dir });
    const before = snapshot(dir);
    // Another export (csv, one split) into a directory holding this one.
    await expect(exportTrainingDataset(fv, { ...options, dir, split: 'test', format: 'csv' })).rejects.toThrow(
      /holds an export of pm25_fv v1, training dataset 1, train\+test as parquet; give --force/,
    );
    await expect(exportTrainingDataset(fv, { ...options, dir, split: 'validation' })).rejects.toThrow(/has no validation split; it has: train, test/);
    await expect(exportTrainingDataset(fv, { ...options, dir, trainingDataset: 7 })).rejects.toThrow(/has no training dataset version 7; versions: 1/);
    expect(snapshot(dir)).toEqual(before);
    // A file there that no manifest accounts for.
    const stray = tempDir();
    writeFileSync(join(stray, 'test.parquet'), 'mine');
    await expect(exportTrainingDataset(fv, { ...options, dir: stray })).rejects.toThrow(/already has test.parquet, which no export manifest/);
    expect(readFileSync(join(stray, 'test.parquet'), 'utf8')).toBe('mine');
    // A missing target directory is not made when the export is refused.
    const missing = join(tempDir(), 'never');
    await expect(exportTrainingDataset(fv, { ...options, dir: missing, split: 'validation' })).rejects.toThrow(/no validation split/);
    expect(existsSync(missing)).toBe(false);
  });

  it('with force, replaces another export and removes the files it listed and the temporary files of a killed export', async () => {
    const store = await tempStore();
    const { fv } = await viewWithSplit(store);
    const dir = tempDir();
    await exportTrainingDataset(fv, { ...options, dir });
    const gone = spawnSync(process.execPath, ['-e', '']).pid!; // a process that has exited: its temporary file is a leftover
    writeFileSync(join(dir, `.train.parquet.airq-tmp-${gone}-0a1b2c3d`), 'half');
    const m = await exportTrainingDataset(fv, { ...options, dir, split: 'test', format: 'csv', force: true });
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'test.csv']);
    expect(m.splits).toEqual(['test']);
  });

  it('never follows an edited manifest to files it did not write', async () => {
    const store = await tempStore();
    const { fv } = await viewWithSplit(store);
    const parent = tempDir();
    const dir = join(parent, 'out');
    await exportTrainingDataset(fv, { ...options, dir });
    writeFileSync(join(parent, 'victim.parquet'), 'keep');
    const file = join(dir, 'manifest.json');
    const edited = JSON.parse(readFileSync(file, 'utf8')) as { files: { file: string }[] };
    edited.files[0]!.file = '../victim.parquet';
    writeFileSync(file, JSON.stringify(edited));
    await expect(exportTrainingDataset(fv, { ...options, dir })).rejects.toThrow(/has a manifest.json that is not an airq export manifest; give --force/);
    await exportTrainingDataset(fv, { ...options, dir, split: 'test', format: 'csv', force: true });
    expect(readFileSync(join(parent, 'victim.parquet'), 'utf8')).toBe('keep');
  });

  it('a version that was not split has only train', async () => {
    const store = await tempStore();
    const { fv } = await viewWithSplit(store);
    const { version } = await fv.trainingData();
    const dir = tempDir();
    await expect(exportTrainingDataset(fv, { ...options, dir, split: 'test' })).rejects.toThrow(
      new RegExp(`training dataset ${version} of pm25_fv v1 was not split: its only split is train`),
    );
    const m = await exportTrainingDataset(fv, { ...options, dir });
    expect([m.trainingDataset.version, m.splits, m.files.map((f) => f.rows)]).toEqual([version, ['train'], [18]]);
  });

  it('a file written atomically is complete or absent', async () => {
    const dir = tempDir();
    const target = join(dir, 'x.parquet');
    await expect(
      writeAtomically(target, async (temp) => {
        writeFileSync(temp, 'half');
        throw new Error('killed midway');
      }),
    ).rejects.toThrow('killed midway');
    expect(readdirSync(dir)).toEqual([]);
  });
});
