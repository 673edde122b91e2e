// Embedding groups: HNSW search against exact search, freshness after writes, reopen, crash catch-up, rebuild, filters, models.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../../src/embed/hashing.js';
import { seededRandom } from '../../src/core/random.js';
import { col, FeatureStore, type InputRow } from '../../src/store/index.js';
import { tempDir } from '../helpers/tmp.js';

const DIM = 16;
const SPEC = {
  name: 'points',
  primaryKey: 'id',
  schema: [
    { name: 'id', type: 'int' as const },
    { name: 'grp', type: 'string' as const },
    { name: 'v', type: 'vector' as const, dim: DIM },
  ],
  embeddingIndex: [{ column: 'v', ef: 200 }],
};

/** Clustered vectors (20 centres): nearest neighbours mean something, unlike uniform noise. */
function points(n: number, seed = 1, from = 0): InputRow[] {
  const random = seededRandom(seed);
  const centres = Array.from({ length: 20 }, () => Array.from({ length: DIM }, () => random() * 2 - 1));
  return Array.from({ length: n }, (_, i) => {
    const c = centres[i % 20]!;
    return { id: from + i, grp: i % 3 === 0 ? 'a' : 'b', v: c.map((x) => x + (random() - 0.5) * 0.6) };
  });
}

async function openWith(dir: string, rows?: InputRow[]) {
  const store = await FeatureStore.open({ dir });
  const fg = await store.getOrCreateFeatureGroup(SPEC);
  if (rows) await fg.insert(rows);
  return { store, fg };
}

const ids = (ns: { key: unknown[] }[]) => ns.map((n) => n.key[0]);

describe('vector index', () => {
  it('finds what exact search finds, and sees every upsert and delete in the next query', async () => {
    const rows = points(3000);
    const { store, fg } = await openWith(tempDir(), rows);
    let hits = 0;
    for (let q = 0; q < 30; q++) {
      const v = rows[q * 97]!.v as number[];
      const approx = await fg.findNeighbors(v, { k: 10 });
      const exact = await fg.findNeighbors(v, { k: 10, exact: true });
      hits += ids(approx).filter((id) => ids(exact).includes(id)).length;
      expect(approx[0]!.key).toEqual([q * 97]);
      expect(approx[0]!.row).toEqual({ id: q * 97, grp: rows[q * 97]!.grp, v: (rows[q * 97]!.v as number[]).map(Math.fround) });
    }
    expect(hits / 300).toBeGreaterThanOrEqual(0.98);

    const probe = rows[5]!.v as number[];
    await fg.insert([{ id: 10_000, grp: 'new', v: probe }]);
    expect((ids(await fg.findNeighbors(probe, { k: 2 })) as number[]).sort((a, b) => a - b)).toEqual([5, 10_000]);
    await fg.deleteRecords([{ id: 5 }]);
    expect(ids(await fg.findNeighbors(probe, { k: 1 }))).toEqual([10_000]);
    await store.close();
  });

  it('reopens from its files, catches up on commits it missed, and rebuilds a damaged file', async () => {
    const dir = tempDir();
    const rows = points(3000);
    const first = await openWith(dir, rows);
    await first.fg.findNeighbors(rows[0]!.v as number[], { k: 1 });
    await first.store.close(); // saves the index with its watermark
    writeFileSync(join(dir, 'vectors', 'points_v1_v.interrupted.hnsw'), 'a save that never switched over');

    // Commits made while nobody loaded the index (as after a crash before an index write): the file is behind.
    const second = await openWith(dir);
    await second.fg.insert(points(50, 7, 20_000));
    await second.store.close();
    const third = await openWith(dir);
    const late = points(50, 7, 20_000)[10]!;
    expect(ids(await third.fg.findNeighbors(late.v as number[], { k: 1 }))).toEqual([20_010]);
    expect(readdirSync(join(dir, 'vectors')).filter((f) => f.endsWith('.hnsw'))).toHaveLength(1); // the orphan is gone
    await third.store.close();

    // A damaged index file is rebuilt from the table.
    const vectors = join(dir, 'vectors');
    const file = readdirSync(vectors).find((f) => f.endsWith('.hnsw'))!;
    writeFileSync(join(vectors, file), 'not an index');
    const fourth = await openWith(dir);
    expect(ids(await fourth.fg.findNeighbors(rows[123]!.v as number[], { k: 1 }))).toEqual([123]);
    await fourth.store.close();
  });

  it('returns k filtered rows whenever k rows match, small or large matches alike', async () => {
    const rows = points(7000);
    const { store, fg } = await openWith(tempDir(), rows);
    const probe = rows[1]!.v as number[]; // id 1 is in group b; a third of rows are in a
    for (const filter of [col('grp').eq('a'), col('id').isIn([2999, 3000, 6001])]) {
      const got = await fg.findNeighbors(probe, { k: 10, filter });
      const exact = await fg.findNeighbors(probe, { k: 10, filter, exact: true });
      expect(got).toHaveLength(exact.length);
      expect(got.every((n) => (filter.kind === 'cmp' ? n.row.grp === 'a' : [2999, 3000, 6001].includes(n.row.id as number)))).toBe(true);
      expect(ids(got).filter((id) => ids(exact).includes(id)).length).toBeGreaterThanOrEqual(exact.length - 1);
    }
    expect(await fg.findNeighbors(probe, { k: 10, filter: col('id').isIn([2999, 3000, 6001]) })).toHaveLength(3);
    await store.close();
  });

  it('embeds text queries with the column model only, and checks every query', async () => {
    const store = await FeatureStore.open({ dir: tempDir() });
    const embedder = new HashingEmbedder();
    const fg = await store.getOrCreateFeatureGroup({
      name: 'docs',
      primaryKey: 'id',
      schema: [
        { name: 'id', type: 'string' },
        { name: 'text', type: 'string' },
        { name: 'emb', type: 'vector', dim: 384 },
      ],
      embeddingIndex: [{ column: 'emb', model: embedder.id }],
    });
    const texts = {
      aqi: 'The AQI category for PM2.5 and its health advice',
      gbdt: 'Gradient boosted trees forecast tomorrow',
      wind: 'Wind disperses pollution',
    };
    const vecs = await embedder.embed(Object.values(texts));
    await fg.insert(Object.keys(texts).map((id, i) => ({ id, text: Object.values(texts)[i]!, emb: vecs[i]! })));
    const [top] = await fg.findNeighbors('health advice for an AQI category', { k: 1, embedder, mode: 'vector' });
    expect(top!.row.id).toBe('aqi');
    expect(top!.score).toBeGreaterThan(0.3);
    await expect(fg.findNeighbors('x', { embedder: { id: 'Xenova/all-MiniLM-L6-v2', embed: embedder.embed.bind(embedder) } })).rejects.toThrow(
      /was embedded with hashing-v1-384; the query embedder is Xenova\/all-MiniLM-L6-v2/,
    );
    await expect(fg.findNeighbors('x')).rejects.toThrow(/a text query needs an embedder/);
    await expect(fg.findNeighbors([1, 2, 3])).rejects.toThrow(/holds vectors of 384; the query has 3/);
    await expect(fg.findNeighbors(vecs[0]!, { k: 0 })).rejects.toThrow(/k must be a whole number from 1 to 1000/);
    await expect(
      store.getOrCreateFeatureGroup({ name: 'bad', primaryKey: 'id', schema: [{ name: 'id', type: 'string' }], embeddingIndex: [{ column: 'id' }] }),
    ).rejects.toThrow(/embeddingIndex column "id" must be a vector column/);
    await store.close();
  });
});

describe('feature view neighbours', () => {
  it('returns the view features of the nearest rows of its root group', async () => {
    const store = await FeatureStore.open({ dir: tempDir() });
    const fg = await store.getOrCreateFeatureGroup(SPEC);
    const rows = points(300);
    await fg.insert(rows);
    const fv = await store.getOrCreateFeatureView({ name: 'points_fv', version: 1, query: fg.select(['id', 'grp', 'v']), labels: [] });
    const got = await fv.findNeighbors(rows[42]!.v as number[], { k: 3 });
    expect(got.map((g) => g.keys.id)).toEqual(ids(await fg.findNeighbors(rows[42]!.v as number[], { k: 3, exact: true })));
    expect(got[0]!.features).toMatchObject({ grp: rows[42]!.grp });
    expect(got[0]!.distance).toBeCloseTo(0, 5);
    await store.close();
  });
});
