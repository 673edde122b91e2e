// `airq import beijing DIR | aqicn FILE ...`: backfill historical data from files.
import { z } from 'zod';
import { isIsoDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import type { ProgressFn } from '../../core/progress.js';
import { backfillBeijing } from '../../airquality/pipelines/beijing-pipeline.js';
import { importAqicn } from '../../airquality/pipelines/import-aqicn.js';
import type { CommitDetails, FeatureStore } from '../../store/index.js';
import { noMorePositionals, option, parse, positional, type Parsed } from '../args.js';
import { contextFrom, withWriter } from '../context.js';

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
} as const;

const Coordinate = (limit: number) =>
  z.coerce.number({ error: 'must be a number of degrees' }).refine((x) => Math.abs(x) <= limit, `must be between -${limit} and ${limit} degrees`);

export async function importCommand(argv: readonly string[]): Promise<void> {
  const [source, ...rest] = argv;
  const p = parse(rest, OPTIONS, `import ${source ?? ''}`.trim());
  const ctx = contextFrom(p);
  if (source === undefined) throw new UsageError('import: say which source: beijing or aqicn (see `airq import --help`)');
  if (source !== 'beijing' && source !== 'aqicn') throw new UsageError(`import: unknown source "${source}"; available: beijing, aqicn`);
  const path = positional(p, 0, source === 'beijing' ? 'the folder with the station files (DIR)' : 'the CSV FILE', `import ${source}`);
  noMorePositionals(p, 1, `import ${source}`);
  const run = source === 'beijing' ? beijingRun(p, path) : aqicnRun(p, path);
  await withWriter(ctx, { create: true }, async (store) => {
    const t0 = performance.now();
    const summary = await run(store, ctx.progress(`import ${source}`));
    const seconds = Math.round((performance.now() - t0) / 100) / 10;
    if (p.values.json) ctx.out.json({ ...summary.json, seconds });
    else {
      ctx.out.line(`${summary.headline} in ${seconds} s`);
      for (const [group, c] of Object.entries(summary.commits)) {
        ctx.out.line(`  ${group.padEnd(17)} ${c ? `commit ${c.commitId}: ${c.inserted} new, ${c.updated} updated` : 'no changes'}`);
      }
    }
  });
}

type Commit = { commitId: number; inserted: number; updated: number } | null;
type Run = (store: FeatureStore, progress: ProgressFn) => Promise<{ headline: string; commits: Record<string, Commit>; json: object }>;

function beijingRun(p: Parsed, dir: string): Run {
  const start = option(DateOption, p.values.start, 'start');
  const end = option(DateOption, p.values.end, 'end');
  return async (store, progress) => {
    const r = await backfillBeijing(store, dir, { start, end, progress });
    return { headline: `imported ${r.stations.length} stations, ${r.hourlyRows} hourly rows -> ${r.days} station-days`, commits: r.commits, json: r };
  };
}

function aqicnRun(p: Parsed, file: string): Run {
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
  const summary = (c: CommitDetails | null): Commit => (c ? { commitId: c.commitId, inserted: c.rowsInserted, updated: c.rowsUpdated } : null);
  return async (store) => {
    const r = await importAqicn(store, file, location);
    const commits = { locations: summary(r.commits.locations), air_quality: summary(r.commits.airQuality), air_quality_lags: summary(r.commits.lags) };
    return { headline: `imported ${r.days} days for ${r.location} (${r.first} to ${r.last})`, commits, json: { ...r, commits } };
  };
}
