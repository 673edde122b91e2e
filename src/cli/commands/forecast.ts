// `airq forecast`: batch inference for the next 7 days, the hindcast of earlier forecasts, and the charts.
import { join } from 'node:path';
import { forecastAll } from '../../airquality/forecast/forecast.js';
import { hindcastCharts, hindcastRows, summarise } from '../../airquality/forecast/hindcast.js';
import { noMorePositionals, parse } from '../args.js';
import { contextFrom, withWriter, writingToday } from '../context.js';
import { table } from '../output.js';

const r1 = (x: number) => Math.round(x * 10) / 10;

export async function forecastCommand(argv: readonly string[]): Promise<void> {
  const p = parse(argv, { json: { type: 'boolean' }, location: { type: 'string' } }, 'forecast');
  const ctx = contextFrom(p);
  noMorePositionals(p, 0, 'forecast');
  await withWriter(ctx, { create: false }, async (store) => {
    const today = await writingToday(ctx, store);
    const chartsDir = join(ctx.storeDir, 'charts');
    const location = typeof p.values.location === 'string' ? p.values.location : undefined;
    const r = await forecastAll(store, today, { locations: location ? [location] : undefined, chartsDir });
    const hindcast = await hindcastRows(store, { location });
    const summary = summarise(hindcast);
    const charts = [...r.locations.flatMap((l) => l.charts), ...hindcastCharts(hindcast, chartsDir)];
    if (p.values.json) {
      ctx.out.json({ ...r, hindcast: summary, charts });
      return;
    }
    ctx.out.line(`forecasts issued ${today} by ${r.model.name} v${r.model.version}; ${r.predictions_written} new predictions logged`);
    for (const l of r.locations) {
      ctx.out.line(`\n${l.location_id}${l.perfect_forecast ? ' (replay: the weather forecast is the recorded weather, a perfect forecast)' : ''}`);
      if (l.days.length > 0)
        ctx.out.line(table(l.days.map((d) => ({ date: d.date, days_ahead: d.days_ahead, pm25: r1(d.pm25), interval_80: `${r1(d.lower)}-${r1(d.upper)}` }))));
      if (l.missing_weather.length > 0) ctx.out.line(`no weather forecast in the store for ${l.missing_weather.join(', ')}: those days are not forecast`);
    }
    if (summary.length > 0) {
      ctx.out.line('\nhindcast (earlier forecasts vs what was observed):');
      ctx.out.line(table(summary.map((s) => ({ ...s, rmse: r1(s.rmse), mae: r1(s.mae), bias: r1(s.bias), coverage80: r1(s.coverage80 * 100) / 100 }))));
    }
    ctx.out.line(`\ncharts:\n${charts.map((c) => `  ${c}`).join('\n')}`);
  });
}
