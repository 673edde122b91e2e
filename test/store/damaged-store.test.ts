// A store file DuckDB cannot open (a garbled write-ahead log, a truncated file): an error naming the file, DuckDB's words and the ways back; nothing changed.
import { copyFileSync, cpSync, existsSync, readFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { FeatureStore } from '../../src/store/index.js';
import { readCurrent } from '../../src/store/snapshots.js';
import { airq } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const SPEC = {
  name: 'g',
  primaryKey: 'k',
  schema: [
    { name: 'k', type: 'string' as const },
    { name: 'v', type: 'int' as const },
  ],
};

/**
 * A crash image: the store directory copied while its writer had a commit only in the write-ahead log.
 * Commit 1 is checkpointed and published as a read snapshot; commit 2 is in store.duckdb.wal.
 */
async function crashImage(): Promise<string> {
  const live = tempDir();
  const first = await FeatureStore.open({ dir: live });
  await (await first.getOrCreateFeatureGroup(SPEC)).insert([{ k: 'a', v: 1 }]);
  await first.close();
  const second = await FeatureStore.open({ dir: live, publish: 'close' });
  await second.getFeatureGroup('g').insert([{ k: 'b', v: 2 }]);
  const image = tempDir();
  cpSync(live, image, { recursive: true });
  await second.close();
  expect(existsSync(join(image, 'store.duckdb.wal'))).toBe(true);
  return image;
}

function garble(file: string): void {
  const b = readFileSync(file);
  for (let i = 100; i < b.length; i += 7) b[i] = (b[i]! * 31 + 7) & 255;
  writeFileSync(file, b);
}

async function openError(dir: string): Promise<ConfigError> {
  try {
    await (await FeatureStore.open({ dir })).close();
  } catch (e) {
    return e as ConfigError;
  }
  throw new Error('the damaged store opened');
}

const files = (dir: string) => ['store.duckdb', 'store.duckdb.wal'].map((f) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f)).toString('hex') : null));

describe('a store DuckDB cannot open', () => {
  it('the crash image itself opens with both commits (the log is replayed)', async () => {
    const dir = await crashImage();
    const store = await FeatureStore.open({ dir });
    expect((await store.getFeatureGroup('g').read()).map((r) => r.k)).toEqual(['a', 'b']);
    await store.close();
  });

  it('a garbled write-ahead log: the file, what DuckDB said, and each way back; following one opens the store', async () => {
    const dir = await crashImage();
    const wal = join(dir, 'store.duckdb.wal');
    garble(wal);
    const before = files(dir);
    const e = await openError(dir);
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toMatch(
      new RegExp(
        `^cannot open the store ${dir}: its write-ahead log ${wal} is damaged \\(DuckDB: .*(WAL|checksum).*\\); nothing was changed\\. To recover: ` +
          `move the write-ahead log aside \\(\`mv ${wal} ${wal}\\.damaged\`\\) to open the store as of its last checkpoint, losing the transactions only in that log; ` +
          `or go back to the last read snapshot: move ${dir}/store\\.duckdb and ${wal} aside and copy ${dir}/read/s\\d{6}/store\\.duckdb \\(commit 1, published .*Z\\) to ${dir}/store\\.duckdb; ` +
          `or restore ${dir} from a backup$`,
      ),
    );
    expect(e.message).not.toMatch(/\n/);
    expect(files(dir)).toEqual(before); // nothing moved, deleted or written
    // The first way back: the log aside, the last checkpoint opens (commit 1; commit 2 was only in the log).
    renameSync(wal, `${wal}.damaged`);
    const store = await FeatureStore.open({ dir });
    expect((await store.getFeatureGroup('g').read()).map((r) => r.k)).toEqual(['a']);
    await store.close();
  });

  it('a truncated store file: damaged, with the snapshot and the backup as ways back', async () => {
    const dir = await crashImage();
    renameSync(join(dir, 'store.duckdb.wal'), join(tempDir(), 'wal')); // only the main file is at fault here
    truncateSync(join(dir, 'store.duckdb'), 5000);
    const e = await openError(dir);
    expect(e.message).toMatch(
      new RegExp(`^cannot open the store ${dir}: ${dir}/store\\.duckdb is damaged or not a DuckDB database file \\(DuckDB: .+\\); nothing was changed\\.`),
    );
    expect(e.message).toMatch(
      /To recover: go back to the last read snapshot: move .*store\.duckdb aside and copy .*read\/s\d{6}\/store\.duckdb \(commit 1, .*; or restore .* from a backup$/,
    );
    // The second way back.
    copyFileSync(join(dir, 'read', readCurrent(dir)!.name, 'store.duckdb'), join(dir, 'store.duckdb'));
    const store = await FeatureStore.open({ dir });
    expect((await store.getFeatureGroup('g').read()).map((r) => r.k)).toEqual(['a']);
    await store.close();
  });

  it('the CLI says it on one line, exit 1', async () => {
    const dir = await crashImage();
    garble(join(dir, 'store.duckdb.wal'));
    const r = await airq(['train', '--store', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^airq: cannot open the store ${dir}: its write-ahead log .* is damaged .*; or restore ${dir} from a backup\\n$`));
  });
});
