// Vector columns: fixed-length float32 embeddings stored, read, served online, time-travelled and validated.
import { describe, expect, it } from 'vitest';
import { tempStore } from '../helpers/tmp.js';

const SCHEMA = [
  { name: 'id', type: 'string' as const },
  { name: 'text', type: 'string' as const },
  { name: 'emb', type: 'vector' as const, dim: 3 },
];

describe('vector feature type', () => {
  it('stores float32 vectors, serves them online, keeps old versions, and skips identical rewrites', async () => {
    const store = await tempStore();
    const fg = await store.getOrCreateFeatureGroup({ name: 'docs', primaryKey: 'id', onlineEnabled: true, schema: SCHEMA });
    const first = await fg.insert([
      { id: 'a', text: 'x', emb: new Float32Array([0.1, 0.2, 0.3]) },
      { id: 'b', text: 'y', emb: [1, 2, 3] },
    ]);
    expect(first!.rowsInserted).toBe(2);
    // Values are rounded to float32 on the way in, so what is read equals what an index holds.
    expect(await fg.read()).toEqual([
      { id: 'a', text: 'x', emb: [Math.fround(0.1), Math.fround(0.2), Math.fround(0.3)] },
      { id: 'b', text: 'y', emb: [1, 2, 3] },
    ]);
    expect(await fg.insert([{ id: 'a', text: 'x', emb: [0.1, 0.2, 0.3] }])).toBeNull();
    await fg.insert([{ id: 'b', text: 'y', emb: [3, 2, 1] }]);
    expect(await fg.getOnline('b')).toEqual({ id: 'b', text: 'y', emb: [3, 2, 1] });
    expect((await fg.asOf(first!.commitId).read()).find((r) => r.id === 'b')!.emb).toEqual([1, 2, 3]);
  });

  it('refuses vectors of the wrong length or with non-numbers, and a vector column without a dim', async () => {
    const store = await tempStore();
    const fg = await store.getOrCreateFeatureGroup({ name: 'docs', primaryKey: 'id', schema: SCHEMA });
    await expect(fg.insert([{ id: 'c', text: 'z', emb: [1, 2] }])).rejects.toThrow(/row 0, column "emb" \(vector of 3\): got 2 numbers/);
    await expect(fg.insert([{ id: 'c', text: 'z', emb: [1, NaN, 2] }])).rejects.toThrow(/expected an array \(or Float32Array\) of finite numbers/);
    expect(await fg.count()).toBe(0);
    await expect(
      store.getOrCreateFeatureGroup({
        name: 'bad',
        primaryKey: 'id',
        schema: [
          { name: 'id', type: 'string' },
          { name: 'v', type: 'vector' },
        ],
      }),
    ).rejects.toThrow(/a vector column needs a dim/);
  });

  it('infers a vector column and its dim from the first insert', async () => {
    const store = await tempStore();
    const fg = await store.getOrCreateFeatureGroup({ name: 'inferred', primaryKey: 'id' });
    await fg.insert([{ id: 'q', v: [1, 2, 3, 4] }]);
    expect(fg.meta.schema).toEqual([
      { name: 'id', type: 'string' },
      { name: 'v', type: 'vector', dim: 4 },
    ]);
  });
});
