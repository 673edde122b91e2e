// The transformers.js embedder, for real: a generated tiny BERT-shaped ONNX model and tokenizer, remote models off.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embedDocuments, searchKnowledge } from '../../src/airquality/knowledge/documents.js';
import { selectEmbedder } from '../../src/embed/select.js';
import { TransformersEmbedder } from '../../src/embed/transformers.js';
import { HIDDEN, writeTinyBert } from '../helpers/tiny-bert.js';
import { tempDir, tempStore } from '../helpers/tmp.js';

const MODEL = 'airq-test/tiny-bert';
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('TransformersEmbedder', () => {
  it('embeds in batches with mean pooling into unit vectors, offline, and names model and revision', async () => {
    const root = writeTinyBert(tempDir());
    const e = await TransformersEmbedder.load({ model: MODEL, localModelPath: root, offline: true, batchSize: 2 });
    expect(e.id).toBe(`${MODEL}@main`);
    expect(e.dim).toBe(HIDDEN);
    const [a, b, c] = await e.embed(['PM2.5 air quality forecast', 'air quality forecast', 'running in the rain']);
    for (const v of [a!, b!, c!]) expect(dot(v, v)).toBeCloseTo(1, 5);
    expect(dot(a!, b!)).toBeGreaterThan(dot(a!, c!)); // shared tokens, closer vectors
    expect(Array.from((await e.embed(['air quality forecast']))[0]!)).toEqual(Array.from(b!));
    expect(e.lastThroughput).toBeGreaterThan(0);
  });

  it('fails offline with a message that says how to get the model, and auto falls back to hashing', async () => {
    await expect(TransformersEmbedder.load({ model: 'nobody/missing-model', localModelPath: tempDir(), offline: true })).rejects.toThrow(
      /cannot load the embedding model nobody\/missing-model .*AIRQ_EMBED_MODEL_PATH=DIR.*AIRQ_EMBEDDER=hashing/,
    );
    const auto = await selectEmbedder(tempDir(), {});
    expect(auto.embedder.id).toBe('hashing-v1-384');
    expect(auto.description).toMatch(/lexical hashing embedder/);
    await expect(selectEmbedder(tempDir(), { AIRQ_EMBEDDER: 'bert' })).rejects.toThrow(/environment variable AIRQ_EMBEDDER: Invalid option/);
  });

  it('runs the knowledge-base pipeline end to end when AIRQ_EMBED_MODEL_PATH holds the model', async () => {
    const root = writeTinyBert(tempDir());
    const { embedder, description } = await selectEmbedder(tempDir(), { AIRQ_EMBED_MODEL_PATH: root, AIRQ_EMBED_MODEL: MODEL });
    expect(description).toMatch(/transformers\.js sentence embeddings, 8-d/);
    const dir = join(tempDir(), 'kb');
    mkdirSync(dir);
    writeFileSync(join(dir, 'wind.md'), '# Wind\n\nWind clears the air.');
    writeFileSync(join(dir, 'running.md'), '# Running\n\nRunning is for health.');
    const store = await tempStore();
    expect(await embedDocuments(store, embedder, dir)).toMatchObject({ embedder: `${MODEL}@main`, chunks: 2, embedded: 2 });
    // The tiny model has no meaning to speak of: query with exactly what was embedded (title, then text).
    const [hit] = await searchKnowledge(store, embedder, 'Running\nRunning is for health.', { k: 1 });
    expect(hit!.chunk_id).toBe('running#0');
    // Hybrid search at full weight for a sentence embedder: first by vector, and found by BM25 too (the thesaurus adds
    // words to the query, so it need not be first there).
    expect(hit!.score).toBeGreaterThan(1 / 61 + 1 / 100);
    expect(hit!.score).toBeLessThanOrEqual(2 / 61);
  });
});
