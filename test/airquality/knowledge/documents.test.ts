// The knowledge base pipeline: incremental chunk embedding, one group version per embedding model, and retrieval.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentsGroup, embedDocuments, knowledgeDir, searchKnowledge } from '../../../src/airquality/knowledge/documents.js';
import { HashingEmbedder } from '../../../src/embed/hashing.js';
import { tempDir, tempStore } from '../../helpers/tmp.js';

describe('knowledge base', () => {
  it('re-embeds only changed chunks, deletes removed ones, and keeps models apart', async () => {
    const store = await tempStore();
    const dir = join(tempDir(), 'kb');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.md'), '# Alpha\n\n## One\n\nParticles and wind.\n\n## Two\n\nRain washes particles out.');
    writeFileSync(join(dir, 'b.md'), '# Beta\n\nThe AQI has six categories.');
    const embedder = new HashingEmbedder();
    expect(await embedDocuments(store, embedder, dir)).toMatchObject({ documents: 2, chunks: 3, embedded: 3, unchanged: 0, deleted: 0, group_version: 1 });
    expect(await embedDocuments(store, embedder, dir)).toMatchObject({ embedded: 0, unchanged: 3 });

    writeFileSync(join(dir, 'a.md'), '# Alpha\n\n## One\n\nParticles and wind.\n\n## Two\n\nSnow washes particles out too.');
    rmSync(join(dir, 'b.md'));
    expect(await embedDocuments(store, embedder, dir)).toMatchObject({ documents: 1, chunks: 2, embedded: 1, unchanged: 1, deleted: 1 });
    const [hit] = await searchKnowledge(store, embedder, 'snow', { k: 1 });
    expect(hit).toMatchObject({ chunk_id: 'a#1', title: 'Alpha', heading_path: 'Two', text: 'Snow washes particles out too.' });

    // Another model never writes into the same index: it gets its own version.
    const other = new HashingEmbedder(128);
    await expect(searchKnowledge(store, other, 'snow')).rejects.toThrow(/has not been embedded with hashing-v1-128 in this store; run `airq embed`/);
    expect(await embedDocuments(store, other, dir)).toMatchObject({ group_version: 2, embedded: 2 });
    expect((await documentsGroup(store, embedder))!.version).toBe(1);
  });

  it('holds at least 15 documents and finds the right one for everyday questions', async () => {
    const store = await tempStore();
    const embedder = new HashingEmbedder();
    const r = await embedDocuments(store, embedder, knowledgeDir());
    expect(r.documents).toBeGreaterThanOrEqual(15);
    const top = async (q: string) => (await searchKnowledge(store, embedder, q, { k: 1 }))[0]!.chunk_id.split('#')[0];
    expect(await top('is it safe to go for a run when the air is unhealthy?')).toBe('exercise-and-air-quality');
    expect(await top('what is the WHO guideline for PM2.5?')).toBe('who-guidelines');
    expect(await top('what does the 80% interval mean?')).toBe('prediction-intervals');
    expect(await top('why does pollution build up in winter?')).toBe('pollution-episodes');
  });
});
