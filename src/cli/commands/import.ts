// `airq import beijing DIR [--start D] [--end D] [--json]`: backfill from the UCI Beijing station files.
import { z } from 'zod';
import { isIsoDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { backfillBeijing } from '../../airquality/pipelines/backfill-beijing.js';
import { FeatureStore } from '../../store/index.js';
import { noMorePositionals, option, parse, positional } from '../args.js';
import { contextFrom } from '../context.js';

export const IMPORT_HELP = `airq import — bring historical data into the store

  airq import beijing DIR [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--json]
      every UCI Beijing station file (PRSA_Data_*.csv[.gz]) in DIR -> locations, air_quality,
      weather and air_quality_lags; importing another folder adds its stations; re-running
      writes nothing new

Options: --store DIR (default ./.airq, env AIRQ_STORE)`;

const DateOption = z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD').optional();

export async function importCommand(argv: readonly string[]): Promise<void> {
  const [source, ...rest] = argv;
  const p = parse(rest, { json: { type: 'boolean' }, start: { type: 'string' }, end: { type: 'string' } }, `import ${source ?? ''}`.trim());
  const ctx = contextFrom(p);
  if (p.values.help || source === undefined) {
    ctx.out.line(IMPORT_HELP);
    if (source === undefined && !p.values.help) throw new UsageError('import: say which source: beijing');
    return;
  }
  if (source !== 'beijing') throw new UsageError(`import: unknown source "${source}"; available: beijing`);
  const dir = positional(p, 0, 'the folder with the station files (DIR)', 'import beijing');
  noMorePositionals(p, 1, 'import beijing');
  const start = option(DateOption, p.values.start, 'start');
  const end = option(DateOption, p.values.end, 'end');
  const store = await FeatureStore.open({ dir: ctx.storeDir, clock: ctx.clock });
  try {
    const t0 = performance.now();
    const r = await backfillBeijing(store, dir, { start, end, progress: (m) => ctx.log.info(m) });
    const seconds = Math.round((performance.now() - t0) / 100) / 10;
    if (p.values.json) ctx.out.json({ ...r, seconds });
    else {
      ctx.out.line(`imported ${r.stations.length} stations, ${r.hourlyRows} hourly rows -> ${r.days} station-days in ${seconds} s`);
      for (const [group, c] of Object.entries(r.commits)) {
        ctx.out.line(`  ${group.padEnd(17)} ${c ? `commit ${c.commitId}: ${c.inserted} new, ${c.updated} updated` : 'no changes'}`);
      }
    }
  } finally {
    await store.close();
  }
}
