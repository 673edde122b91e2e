// `airq models list|show NAME [--version N]`: the model registry.
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import { noMorePositionals, option, parse, positional } from '../args.js';
import { contextFrom, openExistingStore } from '../context.js';
import { table } from '../output.js';

export const MODELS_HELP = `airq models — the model registry

  airq models list [--json]                        every model version with its metrics
  airq models show NAME [--version N] [--json]     the model card: metrics, features, lineage, artifacts

Options: --store DIR (default ./.airq, env AIRQ_STORE)`;

const Version = z.coerce.number().int().min(1).max(100_000).optional();

export async function modelsCommand(argv: readonly string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const p = parse(rest, { json: { type: 'boolean' }, version: { type: 'string' } }, `models ${sub ?? ''}`.trim());
  const ctx = contextFrom(p);
  if (p.values.help || sub === undefined) {
    ctx.out.line(MODELS_HELP);
    if (sub === undefined && !p.values.help) throw new UsageError('models: say which: list or show');
    return;
  }
  const json = p.values.json === true;
  const version = option(Version, p.values.version, 'version');
  const store = await openExistingStore(ctx);
  try {
    if (sub === 'list') {
      noMorePositionals(p, 0, 'models list');
      const models = store.registry.list();
      if (json) {
        ctx.out.json({ models: models.map((m) => m.meta) });
        return;
      }
      const rows = models.map((m) => ({
        name: m.name,
        version: m.version,
        created: m.meta.createdAt,
        feature_view: `${m.meta.featureView.name}@${m.meta.featureView.version}/td${m.meta.trainingDatasetVersion}`,
        metrics: Object.entries(m.metrics).map(([k, v]) => `${k}=${Number(v.toPrecision(4))}`).join(' '),
      }));
      ctx.out.line(rows.length ? table(rows) : '(the registry has no models yet)');
      return;
    }
    if (sub === 'show') {
      noMorePositionals(p, 1, 'models show');
      const model = store.registry.getModel(positional(p, 0, 'the model NAME', 'models show'), version);
      const card = await model.card();
      if (json) ctx.out.json({ ...model.meta, path: model.path, card });
      else ctx.out.line(card);
      return;
    }
    throw new UsageError(`models: unknown subcommand "${sub}"; use list or show`);
  } finally {
    await store.close();
  }
}
