// `airq fg list|show|read`: inspect the feature groups of a store.
import { describeExpectation, type FeatureGroup } from '../../store/index.js';
import { noMorePositionals, positional, refuseOptions } from '../args.js';
import type { CliContext } from '../context.js';
import { inspect } from '../inspect.js';
import { table } from '../output.js';
import { fgRead, NEW_READ_OPTIONS, READ_OPTIONS } from './fg-read.js';

export function fgCommand(argv: readonly string[]): Promise<void> {
  const subcommands = ['list', 'show', 'read'];
  return inspect(
    'fg',
    subcommands,
    argv,
    async ({ sub, p, ctx, json, version, store }) => {
      // --limit was always taken (and ignored) by list and show; the newer options belong to read alone.
      if (sub !== 'read') refuseOptions(p, NEW_READ_OPTIONS, sub, 'fg');
      if (sub === 'list') {
        noMorePositionals(p, 0, 'fg list');
        return list(ctx, store.listFeatureGroups(), json);
      }
      noMorePositionals(p, 1, `fg ${sub}`);
      const fg = store.getFeatureGroup(positional(p, 0, 'the feature group NAME', `fg ${sub}`), version);
      if (sub === 'show') return show(ctx, fg, json);
      return fgRead(p, ctx, fg, json);
    },
    READ_OPTIONS,
  );
}

async function list(ctx: CliContext, groups: FeatureGroup[], json: boolean): Promise<void> {
  const rows = await Promise.all(
    groups.map(async (g) => ({
      name: g.name,
      version: g.version,
      rows: await g.count(),
      primary_key: g.primaryKey.join(','),
      event_time: g.eventTime ?? null,
      online: g.onlineEnabled,
      description: g.description,
    })),
  );
  if (json) ctx.out.json({ feature_groups: rows });
  else ctx.out.line(rows.length === 0 ? '(the store has no feature groups yet)' : table(rows));
}

async function show(ctx: CliContext, fg: FeatureGroup, json: boolean): Promise<void> {
  const meta = fg.meta;
  const [statistics, commits] = await Promise.all([fg.computeStatistics(), fg.commits({ limit: 10 })]);
  if (json) {
    ctx.out.json({ ...meta, statistics, commits });
    return;
  }
  const out = ctx.out;
  out.line(`${meta.name} v${meta.version}${meta.description ? ` — ${meta.description}` : ''}`);
  out.line(
    `primary key: ${meta.primaryKey.join(', ')}   event time: ${meta.eventTime ?? '(none)'}   online: ${meta.onlineEnabled ? 'yes' : 'no'}${meta.ttl ? `   ttl: ${meta.ttl} s` : ''}`,
  );
  out.line(`created: ${meta.createdAt}   rows: ${statistics.rowCount}`);
  out.line();
  const stats = new Map(statistics.columns.map((c) => [c.column, c]));
  out.line(
    table(
      (meta.schema ?? []).map((f) => {
        const s = stats.get(f.name);
        return {
          feature: f.name,
          type: f.type,
          nulls: s?.nullCount,
          min: s?.min,
          max: s?.max,
          mean: s?.mean,
          stddev: s?.stddev,
          distinct: s?.approxDistinct,
          description: f.description ?? '',
        };
      }),
    ),
  );
  out.line();
  const suite = meta.expectations;
  out.line(suite ? `expectations (${suite.name}, ${suite.policy}):` : 'expectations: none');
  for (const e of suite?.expectations ?? []) out.line(`  - ${describeExpectation(e)}`);
  out.line();
  out.line('last commits:');
  out.line(
    commits.length === 0
      ? '  (none)'
      : table(
          commits.map((c) => ({
            commit: c.commitId,
            ingested_at: c.ingestedAt,
            operation: c.operation,
            inserted: c.rowsInserted,
            updated: c.rowsUpdated,
            deleted: c.rowsDeleted,
            validation: c.validationSuccess === null ? '-' : c.validationSuccess ? 'passed' : 'FAILED',
          })),
        ),
  );
}
