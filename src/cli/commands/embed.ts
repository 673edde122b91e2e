// `airq embed`: the embedding pipelines — the knowledge base (text) and day patterns (numeric).
import { embedDocuments } from '../../airquality/knowledge/documents.js';
import { writeDayPatterns } from '../../airquality/patterns/day-patterns.js';
import { selectEmbedder } from '../../embed/index.js';
import { noMorePositionals, parse } from '../args.js';
import { contextFrom, withWriter } from '../context.js';

export async function embedCommand(argv: readonly string[]): Promise<void> {
  const p = parse(argv, { json: { type: 'boolean' } }, 'embed');
  const ctx = contextFrom(p);
  noMorePositionals(p, 0, 'embed');
  await withWriter(ctx, { create: false }, async (store) => {
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
  });
}
