// Hybrid search: BM25 over a group's text columns fused with the vector ranking by reciprocal rank, in a real store.
import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../../src/embed/hashing.js';
import type { Embedder } from '../../src/embed/index.js';
import { col, FeatureStore } from '../../src/store/index.js';
import { fuseRankings, RRF_K } from '../../src/store/vector/hybrid.js';
import { LexicalIndex, stem } from '../../src/store/vector/lexical-index.js';
import { tempDir } from '../helpers/tmp.js';

const embedder = new HashingEmbedder(64);
const SPEC = {
  name: 'notes',
  primaryKey: 'id',
  schema: [
    { name: 'id', type: 'string' as const },
    { name: 'title', type: 'string' as const },
    { name: 'body', type: 'string' as const },
    { name: 'topic', type: 'string' as const },
    { name: 'emb', type: 'vector' as const, dim: 64 },
  ],
  embeddingIndex: [{ column: 'emb', model: embedder.id, text: ['title', 'body'] }],
};
const NOTES = [
  { id: 'mask', title: 'Masks', body: 'An N95 respirator filters fine particles when it fits the face well.', topic: 'health' },
  { id: 'who', title: 'Guidelines', body: 'The WHO annual guideline for fine particles is 5 micrograms per cubic metre.', topic: 'health' },
  { id: 'rain', title: 'Weather', body: 'Rain washes particles out of the air; calm nights let them build up.', topic: 'weather' },
  { id: 'run', title: 'Exercise', body: 'Running outdoors doubles the air you breathe; move runs indoors on bad days.', topic: 'health' },
  { id: 'model', title: 'The model', body: 'Gradient boosted trees predict tomorrow from lagged values and the weather.', topic: 'forecast' },
];

async function notesStore(e: Embedder = embedder) {
  const store = await FeatureStore.open({ dir: tempDir() });
  const fg = await store.getOrCreateFeatureGroup(SPEC);
  const vectors = await e.embed(NOTES.map((n) => `${n.title}\n${n.body}`));
  await fg.insert(NOTES.map((n, i) => ({ ...n, emb: vectors[i]! })));
  return { store, fg };
}

const keys = (hits: { key: unknown[] }[]) => hits.map((h) => h.key[0]);

describe('fuseRankings', () => {
  const row = (id: string) => ({ key: [id], row: { id }, distance: 0, score: 0 });
  it('puts a row both rankings found above rows only one found, records ranks, and scores 1/(60 + rank) per ranking', () => {
    const fused = fuseRankings([row('a'), row('b')], [row('c'), row('b')], 3);
    expect(keys(fused)).toEqual(['b', 'a', 'c']);
    expect(fused[0]!.ranks).toEqual({ vector: 2, lexical: 2 });
    expect(fused[0]!.score).toBeCloseTo(2 / (RRF_K + 2), 12);
    expect(fused[1]!.ranks).toEqual({ vector: 1 });
  });
  it('a lighter vector ranking lets the lexical first place win', () => {
    expect(keys(fuseRankings([row('a'), row('b')], [row('b'), row('a')], 2, 1))).toEqual(['a', 'b']);
    expect(keys(fuseRankings([row('a'), row('b')], [row('b'), row('a')], 2, 0.25))).toEqual(['b', 'a']);
  });
});

describe('the lexical index', () => {
  it('meets word forms, keeps capitalised acronyms that spell stop words, and reads PM2.5 as one word', () => {
    expect(['run', 'runs', 'running'].map(stem)).toEqual(['run', 'run', 'run']);
    const ix = LexicalIndex.build([['WHO guidelines'], ['who is at risk'], ['PM2.5 is fine dust']]);
    expect(ix.find('what does the WHO say', 3).map((h) => h.index)).toEqual([0]);
    expect(ix.find('pm 2.5', 3).map((h) => h.index)).toEqual([2]);
    expect(ix.find('the and of', 3)).toEqual([]);
  });
});

describe('hybrid search in the store', () => {
  it('ranks by words and vectors together, and each mode alone on request', async () => {
    const { store, fg } = await notesStore();
    const hybrid = await fg.findNeighbors('is running outside safe', { k: 2, embedder });
    expect(hybrid[0]!.key).toEqual(['run']);
    expect(hybrid[0]!.ranks?.lexical).toBe(1);
    expect(hybrid[0]!.score).toBeLessThanOrEqual(2 / (RRF_K + 1));
    const lexical = await fg.findNeighbors('respirator', { k: 5, embedder, mode: 'lexical' });
    expect(keys(lexical)).toEqual(['mask']);
    expect(lexical[0]!.distance).toBeGreaterThanOrEqual(0);
    const vector = await fg.findNeighbors('respirator', { k: 5, embedder, mode: 'vector' });
    expect(vector).toHaveLength(5);
    expect(vector[0]!.ranks).toBeUndefined();
    await store.close();
  });

  it('applies the filter to both rankings, and sees a new row at the next search', async () => {
    const { store, fg } = await notesStore();
    const filtered = await fg.findNeighbors('fine particles', { k: 5, embedder, filter: col('topic').eq('weather') });
    expect(keys(filtered)).toEqual(['rain']);
    const [v] = await embedder.embed(['Smoke from wildfires']);
    await fg.insert([{ id: 'fire', title: 'Wildfires', body: 'Smoke from wildfires travels hundreds of kilometres.', topic: 'episodes', emb: v! }]);
    expect(keys(await fg.findNeighbors('wildfire smoke', { k: 1, embedder, mode: 'lexical' }))).toEqual(['fire']);
    await fg.deleteRecords([{ id: 'fire' }]);
    expect(keys(await fg.findNeighbors('wildfire smoke', { k: 5, embedder, mode: 'lexical' }))).not.toContain('fire');
    await store.close();
  });

  it('finds k filtered rows deep in the word ranking, and rows without an embedding', async () => {
    const { store, fg } = await notesStore();
    // Many notes match "particles" better than the two of topic "x"; the filter still gets both.
    const [v] = await embedder.embed(['particles']);
    const many = Array.from({ length: 120 }, (_, i) => ({ id: `p${i}`, title: 'Particles', body: 'particles particles particles', topic: 'noise', emb: v! }));
    await fg.insert([
      ...many,
      { id: 'x1', title: 'x', body: 'a note on particles', topic: 'x', emb: v! },
      { id: 'x2', title: 'x', body: 'particles', topic: 'x', emb: null },
    ]);
    const found = await fg.findNeighbors('particles', { k: 2, embedder, mode: 'lexical', filter: col('topic').eq('x') });
    expect(keys(found).sort()).toEqual(['x1', 'x2']);
    expect(Number.isNaN(found.find((h) => h.key[0] === 'x2')!.distance)).toBe(true);
    await store.close();
  });

  it('searches a group with no text columns by vector when given text', async () => {
    const store = await FeatureStore.open({ dir: tempDir() });
    const fg = await store.getOrCreateFeatureGroup({
      name: 'numbers',
      primaryKey: 'id',
      schema: [
        { name: 'id', type: 'int' as const },
        { name: 'emb', type: 'vector' as const, dim: 64 },
      ],
      embeddingIndex: [{ column: 'emb', model: embedder.id }],
    });
    const [a, b] = await embedder.embed(['rain', 'wind']);
    await fg.insert([
      { id: 1, emb: a! },
      { id: 2, emb: b! },
    ]);
    expect(keys(await fg.findNeighbors('rain', { k: 1, embedder }))).toEqual([1]);
    await expect(fg.findNeighbors('rain', { k: 1, embedder, mode: 'lexical' })).rejects.toThrow(/no text columns/);
    await store.close();
  });

  it('refuses word search for a vector query and text columns that are not strings', async () => {
    const { store, fg } = await notesStore();
    const [v] = await embedder.embed(['rain']);
    await expect(fg.findNeighbors(v!, { k: 1, mode: 'lexical' })).rejects.toThrow(/needs a text query/);
    await expect(store.getOrCreateFeatureGroup({ ...SPEC, name: 'bad', embeddingIndex: [{ column: 'emb', text: ['emb'] }] })).rejects.toThrow(
      /text column "emb" must be a string column/,
    );
    await store.close();
  });
});
