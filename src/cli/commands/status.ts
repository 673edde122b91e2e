// `airq status`: how fresh the store is, per place, with the model, the last run and the next one.
import { dataStatus, type DataStatus } from '../../airquality/services/status.js';
import { SOURCE_WORDS } from '../../airquality/store-clock.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, ConflictError } from '../../core/errors.js';
import { DB_FILE, verifyStore } from '../../store/index.js';
import { noMorePositionals, parse } from '../args.js';
import { contextFrom, openForReading, openForWriting, todayFor, type CliContext } from '../context.js';
import { table } from '../output.js';

export function printStatus(ctx: CliContext, s: DataStatus): void {
  ctx.out.line(`today is ${s.today} in this store (${s.source ? SOURCE_WORDS[s.source] : 'no data yet'})`);
  if (s.places.length === 0) ctx.out.line('no places yet: add one with `airq places add NAME`');
  else
    ctx.out.line(
      table(
        s.places.map((p) => ({
          place: p.id,
          data: p.data.split(' (')[0],
          last_observation: p.last_observation ?? '-',
          forecast: p.forecast_issued ? `issued ${p.forecast_issued}, to ${p.forecast_until}` : '-',
          state: p.stale.length > 0 ? p.stale.join('; ') : 'up to date',
        })),
      ),
    );
  const m = s.model;
  ctx.out.line(
    m
      ? `model ${m.name} v${m.version}, trained ${m.trained_at.slice(0, 10)} on data through ${m.trained_through ?? '?'}; ${m.retrain_due ? `retrain due: ${m.retrain_due}` : 'no retrain due'}`
      : 'no served model for these places yet: `airq run` trains one',
  );
  const r = s.last_run;
  ctx.out.line(
    r
      ? `last run ${r.started_at.replace('T', ' ').slice(0, 16)} UTC (${r.trigger}): ${r.status}${r.errors.length ? ` — ${r.errors.join('; ')}` : ''}`
      : 'no `airq run` recorded yet',
  );
  ctx.out.line(
    s.next_run
      ? `next run ${s.next_run.replace('T', ' ').slice(0, 16)} UTC (airq serve's schedule)`
      : 'no schedule is running: `airq serve` runs the pipelines daily, or use cron (see the README)',
  );
  if (s.stale) ctx.out.line('stale: `airq run` brings it up to date');
  if (s.alerts.length > 0) ctx.out.line(`monitoring alerts (airq monitor has the details):\n${s.alerts.map((a) => `  - ${a}`).join('\n')}`);
  if (s.not_judged.length > 0) ctx.out.line(`not judged yet: ${s.not_judged.join('; ')}`);
}

export async function statusCommand(argv: readonly string[]): Promise<void> {
  const p = parse(argv, { json: { type: 'boolean' }, verify: { type: 'boolean' } }, 'status');
  const ctx = contextFrom(p);
  noMorePositionals(p, 0, 'status');
  if (p.values.verify) return verifyCommand(ctx, p.values.json === true);
  const store = await openForReading(ctx);
  try {
    const s = await dataStatus(store, todayFor(ctx, store));
    if (p.values.json) ctx.out.json(s);
    else printStatus(ctx, s);
  } finally {
    await store.close();
  }
}

/** `airq status --verify`: the store file itself (opened as its writer), checked for consistency; exit 1 naming what disagrees. */
async function verifyCommand(ctx: CliContext, json: boolean): Promise<void> {
  if (!existsSync(join(ctx.storeDir, DB_FILE))) throw new ConfigError(`there is no airq store in ${ctx.storeDir} (no ${DB_FILE}) to verify`);
  const store = await openForWriting(ctx);
  try {
    const r = await verifyStore(store);
    const c = r.checked;
    const what = `${c.groups} feature groups, ${c.commits} commits, ${c.rows} current rows, ${c.onlineKeys} online keys, ${c.indexes} vector indexes, ${c.models} models`;
    if (json) ctx.out.json(r);
    else if (r.ok) ctx.out.line(`the store ${ctx.storeDir} is consistent: checked ${what}`);
    else for (const problem of r.problems) ctx.out.line(`inconsistent: ${problem}`);
    if (!r.ok) throw new ConflictError(`the store ${ctx.storeDir} is inconsistent: ${r.problems.length} problem(s), the first: ${r.problems[0]}`);
  } finally {
    await store.close();
  }
}
