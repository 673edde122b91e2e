// `airq monitor`: is the forecaster still seeing what it was trained on, and still as accurate as its backtest said?
import { z } from 'zod';
import { MAX_WINDOW_DAYS, MIN_WINDOW_DAYS, monitor, type MonitorReport } from '../../airquality/monitoring/monitor.js';
import { asUsage, noMorePositionals, option, parse } from '../args.js';
import { contextFrom, openForReading, todayFor, type CliContext } from '../context.js';
import { table } from '../output.js';

const WindowOption = z.coerce
  .number({ error: `must be a number of days from ${MIN_WINDOW_DAYS} to ${MAX_WINDOW_DAYS}` })
  .int()
  .min(MIN_WINDOW_DAYS, `must be at least ${MIN_WINDOW_DAYS} days: fewer say nothing`)
  .max(MAX_WINDOW_DAYS, `must be at most ${MAX_WINDOW_DAYS} days`);

function print(ctx: CliContext, r: MonitorReport): void {
  ctx.out.line(
    `monitoring ${r.window.start} to ${r.window.end}${r.model ? ` against ${r.model.name} v${r.model.version} (trained through ${r.model.trained_through})` : ' (no served model: drift only)'}`,
  );
  ctx.out.line(r.alerts.length ? `alerts:\n${r.alerts.map((a) => `  - ${a}`).join('\n')}` : 'no alerts');
  if (r.not_judged.length > 0) ctx.out.line(`not judged: ${r.not_judged.join('; ')}`);
  ctx.out.line('\nfeature drift (PSI of the window against the same days of earlier years; drift is past what those years showed among themselves):');
  ctx.out.line(
    table(
      r.drift.map((d) => ({
        place: d.location_id,
        days: d.recent_days,
        reference: `${d.reference_rows} rows, ${d.reference_years} years`,
        drifted: d.features.filter((f) => f.level === 'drift').length,
        watch: d.features.filter((f) => f.level === 'watch').length,
        largest: d.features[0] ? `${d.features[0].feature} ${d.features[0].psi.toFixed(2)}` : '-',
      })),
    ),
  );
  ctx.out.line('\nforecasts once observed (80% interval coverage; RMSE against the backtest with weather forecasts):');
  const rows = r.predictions.flatMap((p) =>
    p.horizons.map((h) => ({
      place: p.location_id,
      days_ahead: h.days_ahead,
      n: h.n,
      rmse: h.rmse ?? '-',
      backtest_rmse: h.expected_rmse ?? '-',
      coverage80: h.coverage80 ?? '-',
      status: h.status,
    })),
  );
  ctx.out.line(rows.length ? table(rows) : 'no logged forecast has been observed in the window yet');
}

export async function monitorCommand(argv: readonly string[]): Promise<void> {
  const p = parse(argv, { json: { type: 'boolean' }, window: { type: 'string' }, location: { type: 'string' } }, 'monitor');
  const ctx = contextFrom(p);
  noMorePositionals(p, 0, 'monitor');
  const windowDays = option(WindowOption, p.values.window ?? '30', 'window');
  const location = typeof p.values.location === 'string' ? p.values.location : undefined;
  const store = await openForReading(ctx);
  try {
    const report = await asUsage('monitor', async () => monitor(store, { today: todayFor(ctx, store), windowDays, location }));
    if (p.values.json) ctx.out.json(report);
    else print(ctx, report);
  } finally {
    await store.close();
  }
}
