// `airq embed`: the embedding pipelines — day patterns now (numeric, no text model needed).
import { writeDayPatterns } from '../../airquality/patterns/day-patterns.js';
import { FeatureStore } from '../../store/index.js';
import { noMorePositionals, parse } from '../args.js';
import { contextFrom } from '../context.js';

export const EMBED_HELP = `airq embed — fill the embedding feature groups and their vector indexes

  airq embed [--json]
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
    const r = await writeDayPatterns(store);
    const seconds = Math.round(performance.now() - t0) / 1000;
    if (p.values.json) ctx.out.json({ day_patterns: { ...r, embedder: 'day-pattern-v1 (numeric)' }, seconds });
    else
      ctx.out.line(`day_patterns: ${r.days} location-days (${r.inserted} new, ${r.updated} updated) with the numeric day-pattern-v1 vectors, in ${seconds} s`);
  } finally {
    await store.close();
  }
}
