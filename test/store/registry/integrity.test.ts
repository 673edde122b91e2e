// Model artifacts carry a SHA-256 per file in the registry: a changed or missing file is an error naming it; older models still load.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../../../src/store/db/database.js';
import { FeatureStore } from '../../../src/store/index.js';
import { ArtifactIntegrityError } from '../../../src/store/registry/checksums.js';
import { tempDir } from '../../helpers/tmp.js';
import { airAndWeather } from '../views/fixture.js';

function artifacts(content: string): string {
  const dir = tempDir('airq-artifacts-');
  writeFileSync(join(dir, 'model.json'), content);
  return dir;
}

async function storeWithModel(dir = tempDir()) {
  const store = await FeatureStore.open({ dir });
  const { air } = await airAndWeather(store);
  const fv = await store.getOrCreateFeatureView({ name: 'fv', query: air.select(['loc', 'date', 'pm25', 'pm25_lag1']), labels: ['pm25'] });
  const td = (await fv.trainTestSplit({ testSize: 0.25, seed: 1 })).version;
  const save = async (content: string) =>
    (await store.registry.createModel({ name: 'gbdt', metrics: { rmse: 1 }, featureView: fv, trainingDatasetVersion: td })).save(artifacts(content));
  return { store, dir, save };
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('model artifact checksums', () => {
  it('are recorded per file at save and kept across reopening', async () => {
    const { store, dir, save } = await storeWithModel();
    const model = await save('{"trees":1}');
    expect(Object.keys(model.meta.checksums!)).toEqual(['model.json', 'model_card.md']);
    expect(model.meta.checksums!['model.json']).toBe(sha('{"trees":1}'));
    expect(model.readArtifact('model.json').toString()).toBe('{"trees":1}');
    await store.close();
    const again = await FeatureStore.open({ dir, readOnly: true });
    expect(again.registry.getModel('gbdt').meta.checksums).toEqual(model.meta.checksums);
    expect(again.registry.getModel('gbdt').problems()).toEqual([]);
    await again.close();
  });

  it('an edited, missing or unlisted file is an error that names the model, the file and what to do', async () => {
    const { store, save } = await storeWithModel();
    const model = await save('{"bias":69.1}');
    const file = join(model.path, 'model.json');
    writeFileSync(file, '{"bias":469.1}');
    const edited = (() => {
      try {
        model.readArtifact('model.json');
      } catch (e) {
        return e as Error;
      }
      throw new Error('an edited artifact was read');
    })();
    expect(edited).toBeInstanceOf(ArtifactIntegrityError);
    expect(edited.message).toBe(
      `model gbdt v1 cannot be used: its artifact model.json was changed or damaged after the model was saved ` +
        `(SHA-256 ${sha('{"bias":469.1}').slice(0, 12)}…, recorded ${sha('{"bias":69.1}').slice(0, 12)}…), in ${model.path}. ` +
        'Restore the directory from a backup, or register a new version (for the forecaster: `airq train`)',
    );
    expect(() => model.verify()).toThrow(/its artifact model\.json was changed or damaged/);
    expect(() => model.download(tempDir())).toThrow(ArtifactIntegrityError);
    expect(model.problems()).toHaveLength(1);

    writeFileSync(file, '{"bias":69.1}'); // put back as saved: usable again
    expect(model.readArtifact('model.json').toString()).toBe('{"bias":69.1}');
    rmSync(file);
    expect(() => model.readArtifact('model.json')).toThrow(/its artifact model\.json is missing, in .*gbdt.1\. Restore/);
    expect(() => model.readArtifact('extra.bin')).toThrow(/its artifact extra\.bin is not one of the files saved with it/);
    await store.close();
  });

  it('a store from before checksums is migrated; its models load unchecked, new ones are checked', async () => {
    const { store, dir, save } = await storeWithModel();
    await save('{"old":true}');
    await store.close();
    // The table as airq made it before checksums.
    const db = await Database.open(join(dir, 'store.duckdb'));
    await db.exec('CREATE TABLE m_old AS SELECT name, version, definition, created_at FROM airq_models');
    await db.exec('DROP TABLE airq_models');
    await db.exec(`CREATE TABLE airq_models (name VARCHAR NOT NULL, version INTEGER NOT NULL, definition VARCHAR NOT NULL,
      created_at TIMESTAMP NOT NULL, PRIMARY KEY (name, version))`);
    await db.exec('INSERT INTO airq_models SELECT * FROM m_old');
    await db.exec('DROP TABLE m_old');
    await db.close();

    const again = await FeatureStore.open({ dir });
    const old = again.registry.getModel('gbdt', 1);
    expect(old.meta.checksums).toBeNull();
    writeFileSync(join(old.path, 'model.json'), '{"old":"edited"}');
    expect(old.readArtifact('model.json').toString()).toBe('{"old":"edited"}'); // nothing was recorded to check it against
    const fv = again.getFeatureView('fv', 1);
    const v2 = await (await again.registry.createModel({ name: 'gbdt', featureView: fv, trainingDatasetVersion: 1 })).save(artifacts('{"new":true}'));
    expect(v2.meta.checksums!['model.json']).toBe(sha('{"new":true}'));
    await again.close();
    const third = await FeatureStore.open({ dir });
    expect(third.registry.list().map((m) => m.meta.checksums === null)).toEqual([true, false]);
    await third.close();
  });

  it('saving leaves no staging or temporary directory behind, in the store or in models/', async () => {
    const { store, dir, save } = await storeWithModel();
    await save('{}');
    expect(readdirSync(join(dir, '.tmp'))).toEqual([]);
    expect(readdirSync(join(dir, 'models'))).toEqual(['gbdt']);
    const copy = store.registry.getModel('gbdt').download();
    expect(copy.startsWith(join(dir, '.tmp'))).toBe(true);
    expect(readFileSync(join(copy, 'model.json'), 'utf8')).toBe('{}');
    await store.close();
    expect(existsSync(copy)).toBe(true); // this process still runs: its copy is its own
  });
});
