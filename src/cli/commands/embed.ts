// `airq embed`: the embedding pipelines — the knowledge base (text) and day patterns (numeric).
import { embedDocuments } from '../../airquality/knowledge/documents.js';
import { writeDayPatterns } from '../../airquality/patterns/day-patterns.js';
import { selectEmbedder } from '../../embed/index.js';
import { FeatureStore } from '../../store/index.js';
import { noMorePositionals, parse } from '../args.js';
import { contextFrom } from '../context.js';

export const EMBED_HELP = `airq embed — fill the embedding feature groups and their vector indexes

  airq embed [--json]
      documents: the knowledge base (docs/knowledge/*.md), chunked by headings and paragraphs and
      embedded with the text embedder AIRQ_EMBEDDER selects: auto (default) uses transformers.js
      with AIRQ_EMBED_MODEL (default Xenova/all-MiniLM-L6-v2) when AIRQ_EMBED_MODEL_PATH holds its
      files, else the hashing embedder (hashing-v1-384: lexical, no model files; it matches shared
      words and word forms, not meaning); transformers downloads the model into the store once
      (not with AIRQ_OFFLINE=1); hashing forces the hashing embedder. Only chunks whose text
      changed are re-embedded; removed chunks are deleted. The output says which embedder ran.
      day_patterns: every location-day with observed weather and PM2.5 as two numeric vectors
      (the weather of the day and the day before; plus the PM2.5 before it), on fixed scales
      (model day-pattern-v1: no text embedding model is involved). Incremental: unchanged days
      are not rewritten. The daily pipeline keeps them fresh once they exist.

Options: --store DIR (default ./.airq, env AIRQ_STORE)`;

export async function embedCommand(argv: readonly string[]): Promise<void> {
  const p = parse(argv, { json: { type: 'boolean' } }, 'embed');
  const ctx = contextFrom(p);
  if (p.values.help) return ctx.out.line(EMBED_HELP);
  noMorePositionals(p, 0, 'embed');
  const store = await FeatureStore.open({ dir: ctx.storeDir, clock: ctx.clock });
  try {
    const t0 = performance.now();
    const { embedder, description } = await selectEmbedder(ctx.storeDir);
    const docs = await embedDocuments(store, embedder);
    const r = await writeDayPatterns(store);
    const seconds = Math.round(performance.now() - t0) / 1000;
    if (p.values.json)
      ctx.out.json({ documents: { ...docs, embedder_description: description }, day_patterns: { ...r, embedder: 'day-pattern-v1 (numeric)' }, seconds });
    else {
      ctx.out.line(
        `documents v${docs.group_version}: ${docs.documents} documents, ${docs.chunks} chunks (${docs.embedded} embedded, ${docs.unchanged} unchanged, ${docs.deleted} deleted) with ${description}`,
      );
      ctx.out.line(`day_patterns: ${r.days} location-days (${r.inserted} new, ${r.updated} updated) with the numeric day-pattern-v1 vectors`);
      ctx.out.line(`done in ${seconds} s`);
    }
  } finally {
    await store.close();
  }
}
