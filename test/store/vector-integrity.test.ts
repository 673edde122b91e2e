// Vector indexes that check themselves: a sidecar or index file that cannot be trusted, or a restored store file, rebuilds the index.
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/random.js';
import { createLogger } from '../../src/core/logger.js';
import { FeatureStore, type InputRow } from '../../src/store/index.js';
import { keysHash } from '../../src/store/vector/sidecar.js';
import { tempDir } from '../helpers/tmp.js';

const DIM = 16;
const SPEC = {
  name: 'points',
  primaryKey: 'id',
  schema: [
    { name: 'id', type: 'int' as const },
    { name: 'v', type: 'vector' as const, dim: DIM },
  ],
  embeddingIndex: [{ column: 'v', ef: 200, model: 'test-model-1' }],
};

/** Clustered vectors; more than EXACT_BELOW (2000) rows, so searches go through the HNSW index, not exact SQL. */
function points(n: number, seed = 1, from = 0): InputRow[] {
  const random = seededRandom(seed);
  const centres = Array.from({ length: 20 }, () => Array.from({ length: DIM }, () => random() * 2 - 1));
  return Array.from({ length: n }, (_, i) => ({ id: from + i, v: centres[i % 20]!.map((x) => x + (random() - 0.5) * 0.6) }));
}

const ROWS = points(3000);

async function open(dir: string) {
  const warnings: string[] = [];
  const store = await FeatureStore.open({ dir, log: createLogger('warn', (l) => warnings.push(l)) });
  const fg = await store.getOrCreateFeatureGroup(SPEC);
  return { store, fg, warnings };
}

/** A store whose index was searched and saved at close. */
async function savedIndex(): Promise<string> {
  const dir = tempDir();
  const { store, fg } = await open(dir);
  await fg.insert(ROWS);
  await fg.findNeighbors(ROWS[0]!.v as number[], { k: 1 });
  await store.close();
  return dir;
}

const sidecarOf = (dir: string) => join(dir, 'vectors', 'points_v1_v.json');
const indexFileOf = (dir: string) =>
  join(
    dir,
    'vectors',
    readdirSync(join(dir, 'vectors')).find((f) => f.endsWith('.hnsw'))!,
  );
type Side = { keys: unknown[]; keysSha256: string; watermark: number; model: string | null; live: number };
const readSide = (dir: string) => JSON.parse(readFileSync(sidecarOf(dir), 'utf8')) as Side;
const writeSide = (dir: string, side: Side) => writeFileSync(sidecarOf(dir), JSON.stringify(side));

/** Recall@10 of HNSW search against exact search over 20 queries, and whether each query's own row came first. */
async function recall(fg: Awaited<ReturnType<typeof open>>['fg']): Promise<{ recall: number; selfFirst: number }> {
  let hits = 0;
  let selfFirst = 0;
  for (let q = 0; q < 20; q++) {
    const row = ROWS[q * 131]!;
    const approx = (await fg.findNeighbors(row.v as number[], { k: 10 })).map((n) => n.key[0]);
    const exact = (await fg.findNeighbors(row.v as number[], { k: 10, exact: true })).map((n) => n.key[0]);
    hits += approx.filter((id) => exact.includes(id)).length;
    if (approx[0] === row.id) selfFirst++;
  }
  return { recall: hits / 200, selfFirst };
}

const damages: [string, (dir: string) => void, RegExp][] = [
  [
    'half its keys dropped',
    (dir) => {
      const s = readSide(dir);
      writeSide(dir, { ...s, keys: s.keys.slice(0, s.keys.length / 2) });
    },
    /key list does not match its checksum/,
  ],
  [
    'half its keys dropped, with checksum and count made to match',
    (dir) => {
      const s = readSide(dir);
      const keys = s.keys.slice(0, s.keys.length / 2) as never[];
      writeSide(dir, { ...s, keys, keysSha256: keysHash(keys), live: keys.length });
    },
    /index file has 3000 points, the sidecar 1500 keys/,
  ],
  [
    'its keys shuffled',
    (dir) => {
      const s = readSide(dir);
      const random = seededRandom(9);
      const keys = [...s.keys].sort(() => random() - 0.5);
      writeSide(dir, { ...s, keys });
    },
    /key list does not match its checksum/,
  ],
  ['its file cut in half', (dir) => writeFileSync(sidecarOf(dir), readFileSync(sidecarOf(dir), 'utf8').slice(0, 5000)), /sidecar cannot be read/],
  ['another embedding model named', (dir) => writeSide(dir, { ...readSide(dir), model: 'other-model' }), /built from other-model, the column is test-model-1/],
  ['a watermark ahead of the commit log', (dir) => writeSide(dir, { ...readSide(dir), watermark: 99 }), /reflects commit 99, but the group's last commit is 1/],
  [
    'its index file edited in place',
    (dir) => {
      const file = indexFileOf(dir);
      const bytes = readFileSync(file);
      for (let i = 4000; i < 4400; i++) bytes[i] = 255 - bytes[i]!;
      writeFileSync(file, bytes);
    },
    /index file points_v1_v\.\w+\.hnsw does not match its checksum/,
  ],
];

describe('a vector index that cannot be trusted is rebuilt', () => {
  it('an intact index loads without a warning and searches well', async () => {
    const dir = await savedIndex();
    const { store, fg, warnings } = await open(dir);
    expect(await recall(fg)).toMatchObject({ selfFirst: 20 });
    expect(warnings).toEqual([]);
    await store.close();
  });

  for (const [what, damage, reason] of damages) {
    it(`sidecar or index file with ${what}: a warning, a rebuild, correct results`, async () => {
      const dir = await savedIndex();
      damage(dir);
      const { store, fg, warnings } = await open(dir);
      const r = await recall(fg);
      expect(r.selfFirst).toBe(20);
      expect(r.recall).toBeGreaterThanOrEqual(0.95);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/the vector index of points v1\.v \(.*points_v1_v\.json\) is rebuilt from its table: /);
      expect(warnings[0]).toMatch(reason);
      await store.close();
      // The rebuilt index was saved: the next open trusts it again.
      const again = await open(dir);
      expect((await again.fg.findNeighbors(ROWS[7]!.v as number[], { k: 1 }))[0]!.key).toEqual([7]);
      expect(again.warnings).toEqual([]);
      await again.store.close();
    });
  }
});

describe('a store file restored from an older copy', () => {
  /** Commits 1-2 in the copy; 3-4 (with index saves) after it; then the copy is put back. */
  async function restored(): Promise<string> {
    const dir = tempDir();
    const copy = join(tempDir(), 'store.duckdb');
    const first = await open(dir);
    await first.fg.insert(ROWS.slice(0, 2500));
    await first.fg.insert(ROWS.slice(2500));
    await first.fg.findNeighbors(ROWS[0]!.v as number[], { k: 1 });
    await first.store.close();
    copyFileSync(join(dir, 'store.duckdb'), copy);
    const later = await open(dir);
    await later.fg.insert(points(40, 5, 50_000));
    await later.fg.deleteRecords([{ id: 11 }]);
    await later.fg.findNeighbors(ROWS[0]!.v as number[], { k: 1 }); // the index now reflects commit 4
    await later.store.close();
    copyFileSync(copy, join(dir, 'store.duckdb'));
    return dir;
  }

  it('is behind the index: the index is rebuilt and finds rows added after the restore, not the lost ones', async () => {
    const dir = await restored();
    const { store, fg, warnings } = await open(dir);
    const fresh = points(10, 8, 90_000);
    await fg.insert(fresh); // commit 3 of the restored history: still behind the index's watermark 4
    for (const row of fresh) expect((await fg.findNeighbors(row.v as number[], { k: 1 }))[0]!.key).toEqual([row.id]);
    expect((await fg.findNeighbors(ROWS[11]!.v as number[], { k: 1 }))[0]!.key).toEqual([11]); // deleted only in the lost history
    expect(await recall(fg)).toMatchObject({ selfFirst: 20 });
    expect(warnings.join('\n')).toMatch(/reflects commit 4, but the group's last commit is 3 \(the store file was restored from an older copy or replaced\)/);
    await store.close();
  });

  it('has since passed the index watermark with other commits: the index sees another history and is rebuilt', async () => {
    const dir = await restored();
    const writer = await open(dir);
    const fresh = points(10, 8, 90_000);
    for (const row of fresh) await writer.fg.insert([row]); // commits 3-12, without loading the index
    await writer.store.close();
    const { store, fg, warnings } = await open(dir);
    for (const row of fresh) expect((await fg.findNeighbors(row.v as number[], { k: 1 }))[0]!.key).toEqual([row.id]);
    expect(await fg.findNeighbors(points(40, 5, 50_000)[3]!.v as number[], { k: 1 })).not.toContainEqual(expect.objectContaining({ key: [50_003] }));
    expect((await fg.findNeighbors(ROWS[11]!.v as number[], { k: 1 }))[0]!.key).toEqual([11]);
    expect(warnings.join('\n')).toMatch(/the commit 4 it reflects is not in the store's commit log as it was/);
    await store.close();
  });
});
