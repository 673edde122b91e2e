// `airq fv list|show NAME|export NAME`: inspect feature views and their training dataset versions, or write one as files.
import type { FeatureView } from '../../store/index.js';
import { noMorePositionals, positional, refuseOptions } from '../args.js';
import type { CliContext } from '../context.js';
import { inspect } from '../inspect.js';
import { table } from '../output.js';
import { EXPORT_OPTIONS, fvExport } from './fv-export.js';

export function fvCommand(argv: readonly string[], airqVersion = 'unknown'): Promise<void> {
  return inspect(
    'fv',
    ['list', 'show', 'export'],
    argv,
    async ({ sub, p, ctx, json, version, store }) => {
      if (sub === 'export') return fvExport(p, ctx, store, { version, json, airqVersion });
      refuseOptions(p, EXPORT_OPTIONS, sub, 'fv');
      if (sub === 'list') {
        noMorePositionals(p, 0, 'fv list');
        const rows = await Promise.all(
          store.listFeatureViews().map(async (v) => ({
            name: v.name,
            version: v.version,
            labels: v.labels.join(','),
            groups: v
              .query()
              .groups()
              .map((g) => `${g.name}@${g.version}`)
              .join(','),
            training_datasets: (await v.trainingDatasets()).length,
            description: v.definition.description,
          })),
        );
        if (json) ctx.out.json({ feature_views: rows });
        else ctx.out.line(rows.length ? table(rows) : '(the store has no feature views yet)');
        return;
      }
      noMorePositionals(p, 1, 'fv show');
      await show(ctx, store.getFeatureView(positional(p, 0, 'the feature view NAME', 'fv show'), version), json);
    },
    EXPORT_OPTIONS,
  );
}

async function show(ctx: CliContext, fv: FeatureView, json: boolean): Promise<void> {
  const [columns, tds] = await Promise.all([fv.query().columns(), fv.trainingDatasets()]);
  if (json) {
    ctx.out.json({ name: fv.name, version: fv.version, createdAt: fv.createdAt, ...fv.definition, columns, trainingDatasets: tds });
    return;
  }
  const d = fv.definition;
  const out = ctx.out;
  out.line(`${fv.name} v${fv.version}${d.description ? ` — ${d.description}` : ''}`);
  out.line(`created: ${fv.createdAt}   labels: ${d.labels.join(', ') || '(none)'}`);
  out.line();
  out.line(
    table(
      columns.map((c) => ({
        column: c.name,
        type: c.type,
        from: `${c.featureGroup}@${c.version}.${c.column}`,
        role: d.labels.includes(c.name)
          ? 'label'
          : d.inferenceHelperColumns.includes(c.name) || d.trainingHelperColumns.includes(c.name)
            ? 'helper'
            : 'feature',
        transformation: d.transformations[c.name] ?? '',
      })),
    ),
  );
  out.line();
  out.line('training datasets:');
  out.line(
    tds.length === 0
      ? '  (none)'
      : table(
          tds.map((t) => ({
            version: t.version,
            created: t.createdAt,
            split: t.split.kind,
            rows: Object.entries(t.rowCounts)
              .map(([k, v]) => `${k}=${v}`)
              .join(' '),
            snapshot_commit: t.snapshotCommit,
          })),
        ),
  );
}
