// Integrity as a user meets it: an edited model file stops `airq forecast` with a clear error; `airq train` leaves no temporary files, killed or not.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FeatureStore } from '../../src/store/index.js';
import { airq, lastJson, runCliAsync } from '../helpers/cli.js';
import { copyStore, syntheticStore } from '../helpers/stores.js';
import { tempDir } from '../helpers/tmp.js';

const OFFLINE = { AIRQ_OPEN_METEO_ARCHIVE_URL: 'http://127.0.0.1:9/archive', AIRQ_LOG_LEVEL: 'warn' };
const ROOT = join(__dirname, '..', '..');

describe('model artifacts as the CLI uses them', () => {
  it('an edited forecaster.json stops airq forecast with an error naming it; airq train registers an intact version that forecasts again', async () => {
    const store = copyStore(syntheticStore());
    const file = join(store, 'models', 'pm25_forecaster', '1', 'forecaster.json');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/(\d+)\.(\d)/, '4$1.$2')); // one number changed, as the tester did (69.1 -> 469.1)
    const r = await airq(['forecast', '--store', store], OFFLINE);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^airq: model pm25_forecaster v1 cannot be used: its artifact forecaster\.json was changed or damaged after the model was saved \(SHA-256 [0-9a-f]{12}…, recorded [0-9a-f]{12}…\), in .*pm25_forecaster.1\. Restore the directory from a backup, or register a new version \(for the forecaster: `airq train`\)\n$/,
    );
    expect(r.stdout).toBe('');

    const trained = lastJson(await airq(['train', '--store', store, '--json'], OFFLINE)) as { model: { version: number }; reused: boolean };
    expect([trained.model.version, trained.reused]).toEqual([2, false]); // the same data, but v1 is not that model any more
    const again = await airq(['forecast', '--store', store, '--json'], OFFLINE);
    expect(again.code).toBe(0);
    expect(lastJson(again)).toMatchObject({ model: { name: 'pm25_forecaster', version: 2 } });
  });
});

describe('temporary files of airq train', () => {
  it('a finished train leaves nothing in the system temp directory or in the store', async () => {
    const store = copyStore(syntheticStore());
    const tmp = tempDir('airq-systmp-');
    const r = await runCliAsync(['train', '--store', store, '--today', '2024-06-28'], { ...OFFLINE, TMPDIR: tmp });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/pm25_forecaster v2/);
    expect(readdirSync(tmp)).toEqual([]);
    expect(readdirSync(join(store, '.tmp'))).toEqual([]);
  });

  it('a killed train leaves nothing in the system temp directory; its directory in the store goes at the next writer, not at a reader', async () => {
    const store = copyStore(syntheticStore());
    const tmp = tempDir('airq-systmp-');
    mkdirSync(join(store, '.tmp'), { recursive: true });
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'airq.js'), 'train', '--store', store, '--today', '2024-06-29'], {
      env: { ...process.env, ...OFFLINE, AIRQ_STORE: undefined, AIRQ_TODAY: undefined, TMPDIR: tmp },
      stdio: 'ignore',
    });
    // Killed the moment it makes its temporary directory: before its model is written and registered.
    const watcher = watch(join(store, '.tmp'), () => child.kill('SIGKILL'));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, s) => resolve(s)));
    watcher.close();
    expect(signal).toBe('SIGKILL');
    expect(readdirSync(tmp)).toEqual([]);
    const left = readdirSync(join(store, '.tmp'));
    expect(left).toEqual([expect.stringMatching(new RegExp(`^train-${child.pid}@`))]);

    const reader = await FeatureStore.open({ dir: store, readOnly: true });
    expect(reader.registry.list().map((m) => m.version)).toEqual([1]); // nothing half registered
    await reader.close();
    expect(readdirSync(join(store, '.tmp'))).toEqual(left);
    const writer = await FeatureStore.open({ dir: store });
    expect(readdirSync(join(store, '.tmp'))).toEqual([]);
    await writer.close();
    expect(existsSync(join(store, 'models', 'pm25_forecaster', '2'))).toBe(false);
  });
});
