// `airq import beijing DIR | aqicn FILE ...`: backfill historical data from files, refusing bad rows; --check is a dry run.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { isIsoDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { printable } from '../../core/printable.js';
import type { ProgressFn } from '../../core/progress.js';
import { backfillBeijing, checkBeijing } from '../../airquality/pipelines/beijing-pipeline.js';
import { checkAqicn, importAqicn } from '../../airquality/pipelines/import-aqicn.js';
import type { GroupChanges } from '../../airquality/pipelines/import-plan.js';
import { BadRowsError } from '../../airquality/sources/import-checks.js';
import { DB_FILE, type CommitDetails, type FeatureStore } from '../../store/index.js';
import { noMorePositionals, option, parse, positional, type Parsed } from '../args.js';
import { contextFrom, openForReading, withWriter, type CliContext } from '../context.js';
import { io } from '../io.js';

const DateOption = z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD').optional();

const OPTIONS = {
  json: { type: 'boolean' },
  start: { type: 'string' },
  end: { type: 'string' },
  location: { type: 'string' },
  name: { type: 'string' },
  lat: { type: 'string' },
  lon: { type: 'string' },
  city: { type: 'string' },
  country: { type: 'string' },
  timezone: { type: 'string' },
  check: { type: 'boolean' },
  'skip-bad-rows': { type: 'boolean' },
  'allow-nulls-over-values': { type: 'boolean' },
} as const;

const Coordinate = (limit: number) =>
  z.coerce.number({ error: 'must be a number of degrees' }).refine((x) => Math.abs(x) <= limit, `must be between -${limit} and ${limit} degrees`);

type Commit = { commitId: number; inserted: number; updated: number } | null;
interface Summary {
  headline: string;
  bad_rows: { total: number; by_reason: Record<string, number | undefined> };
  changes: Record<string, GroupChanges>;
  commits?: Record<string, Commit>;
  json: object;
}
/** An import (store given) or its dry run (store undefined when there is none yet). */
interface Run {
  write(store: FeatureStore, progress: ProgressFn): Promise<Summary>;
  check(store: FeatureStore | undefined): Promise<Summary>;
}
interface Flags {
  skipBadRows: boolean;
  allowNullsOverValues: boolean;
}

export async function importCommand(argv: readonly string[]): Promise<void> {
  const [source, ...rest] = argv;
  const p = parse(rest, OPTIONS, `import ${source ?? ''}`.trim());
  const ctx = contextFrom(p);
  if (source === undefined) throw new UsageError('import: say which source: beijing or aqicn (see `airq import --help`)');
  if (source !== 'beijing' && source !== 'aqicn') throw new UsageError(`import: unknown source "${source}"; available: beijing, aqicn`);
  const path = positional(p, 0, source === 'beijing' ? 'the folder with the station files (DIR)' : 'the CSV FILE', `import ${source}`);
  noMorePositionals(p, 1, `import ${source}`);
  const flags = { skipBadRows: p.values['skip-bad-rows'] === true, allowNullsOverValues: p.values['allow-nulls-over-values'] === true };
  const run = source === 'beijing' ? beijingRun(p, path, flags) : aqicnRun(p, path, flags);
  const t0 = performance.now();
  const summary = await listingBadRows(() =>
    p.values.check ? dryRun(ctx, run) : withWriter(ctx, { create: true }, (s) => run.write(s, ctx.progress(`import ${source}`))),
  );
  const seconds = Math.round((performance.now() - t0) / 100) / 10;
  if (p.values.json) ctx.out.json({ ...summary.json, checked: p.values.check === true, seconds });
  else printSummary(ctx, summary, seconds, p.values.check === true);
}

/** --check: reads an existing store without the writer lock; with no store there, plans against nothing and makes none. */
async function dryRun(ctx: CliContext, run: Run): Promise<Summary> {
  if (!existsSync(join(ctx.storeDir, DB_FILE))) return run.check(undefined);
  const store = await openForReading(ctx);
  try {
    return await run.check(store);
  } finally {
    await store.close();
  }
}

/** A refusal's first line ends up as the error line; its other quoted bad rows are printed first, one a line. */
async function listingBadRows<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof BadRowsError) for (const line of e.message.split('\n').slice(1)) io().stderr(`  ${printable(line, 300)}\n`);
    throw e;
  }
}

function printSummary(ctx: CliContext, s: Summary, seconds: number, checked: boolean): void {
  ctx.out.line(checked ? `${s.headline.replace(/^imported/, 'would import')} (checked in ${seconds} s; nothing was written)` : `${s.headline} in ${seconds} s`);
  if (s.bad_rows.total > 0) {
    const reasons = Object.entries(s.bad_rows.by_reason).map(([r, n]) => `${r} ${n}`);
    ctx.out.line(`  skipped ${s.bad_rows.total} bad row${s.bad_rows.total === 1 ? '' : 's'} (${reasons.join(', ')})`);
  }
  for (const [group, c] of Object.entries(s.changes)) {
    const commit = s.commits?.[group];
    const what = checked ? 'would be' : commit ? `commit ${commit.commitId}:` : 'no changes:';
    const nulls = c.kept > 0 ? `, ${c.kept} stored values kept over nulls` : c.nulled > 0 ? `, ${c.nulled} stored values nulled` : '';
    ctx.out.line(`  ${group.padEnd(17)} ${what} ${c.new} new, ${c.updated} updated, ${c.unchanged} unchanged${nulls}`);
  }
}

const totals = (changes: Record<string, GroupChanges>) =>
  Object.values(changes).reduce((a, c) => ({ kept: a.kept + c.kept, nulled: a.nulled + c.nulled }), { kept: 0, nulled: 0 });

function beijingRun(p: Parsed, dir: string, flags: Flags): Run {
  const options = { start: option(DateOption, p.values.start, 'start'), end: option(DateOption, p.values.end, 'end'), ...flags };
  const summary = (r: Awaited<ReturnType<typeof checkBeijing>>, commits?: Record<string, Commit>): Summary => ({
    headline: `imported ${r.stations.length} stations, ${r.hourlyRows} hourly rows -> ${r.days} station-days`,
    bad_rows: r.bad_rows,
    changes: r.changes,
    commits,
    json: { ...r, ...totals(r.changes), ...(commits ? { commits } : {}) },
  });
  return {
    write: async (store, progress) => {
      const r = await backfillBeijing(store, dir, { ...options, progress });
      return summary(r, r.commits);
    },
    check: async (store) => summary(await checkBeijing(store, dir, options)),
  };
}

function aqicnRun(p: Parsed, file: string, flags: Flags): Run {
  const need = (name: string) => {
    const v = p.values[name];
    if (typeof v !== 'string') throw new UsageError(`import aqicn: --${name} is required (see \`airq import --help\`)`);
    return v;
  };
  const location = {
    location_id: need('location'),
    name: need('name'),
    latitude: option(Coordinate(90), need('lat'), 'lat'),
    longitude: option(Coordinate(180), need('lon'), 'lon'),
    ...(typeof p.values.city === 'string' ? { city: p.values.city } : {}),
    ...(typeof p.values.country === 'string' ? { country: p.values.country } : {}),
    ...(typeof p.values.timezone === 'string' ? { timezone: p.values.timezone } : {}),
  };
  const commit = (c: CommitDetails | null): Commit => (c ? { commitId: c.commitId, inserted: c.rowsInserted, updated: c.rowsUpdated } : null);
  const summary = (r: Awaited<ReturnType<typeof checkAqicn>>, commits?: Record<string, Commit>): Summary => ({
    headline: `imported ${r.days} days for ${r.location} (${r.first} to ${r.last})`,
    bad_rows: r.bad_rows,
    changes: r.changes,
    commits,
    json: { ...r, ...totals(r.changes), ...(commits ? { commits } : {}) },
  });
  return {
    write: async (store) => {
      const r = await importAqicn(store, file, location, flags);
      return summary(r, { locations: commit(r.commits.locations), air_quality: commit(r.commits.airQuality), air_quality_lags: commit(r.commits.lags) });
    },
    check: async (store) => summary(await checkAqicn(store, file, location, flags)),
  };
}
