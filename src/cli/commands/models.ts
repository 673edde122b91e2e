// `airq models list|show NAME [--version N]`: the model registry.
import { noMorePositionals, positional } from '../args.js';
import { inspect } from '../inspect.js';
import { table } from '../output.js';

export function modelsCommand(argv: readonly string[]): Promise<void> {
  return inspect('models', ['list', 'show'], argv, async ({ sub, p, ctx, json, version, store }) => {
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
        metrics: Object.entries(m.metrics)
          .map(([k, v]) => `${k}=${Number(v.toPrecision(4))}`)
          .join(' '),
      }));
      ctx.out.line(rows.length ? table(rows) : '(the registry has no models yet)');
      return;
    }
    noMorePositionals(p, 1, 'models show');
    const model = store.registry.getModel(positional(p, 0, 'the model NAME', 'models show'), version);
    const card = await model.card();
    if (json) ctx.out.json({ ...model.meta, path: model.path, card });
    else ctx.out.line(card);
  });
}
