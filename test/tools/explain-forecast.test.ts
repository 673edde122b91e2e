// explain_forecast through a real MCP client: the logged forecast as baseline plus feature contributions; its errors with their hints; refused input.
import { describe, expect, it } from 'vitest';
import { RECOVERY } from '../../tools/errors.js';
import tool from '../../tools/explain-forecast.tool.js';
import forecastTool from '../../tools/get-air-quality-forecast.tool.js';
import { expectFailure, expectRefusedInput, syntheticToolClient } from '../helpers/tool-client.js';

const c = syntheticToolClient();

describe('explain_forecast', () => {
  it("explains tomorrow's logged forecast by default: the same value get_air_quality_forecast gives, its 8 biggest drivers first", async () => {
    const why = await c.answer(tool, { location: 'Synthetic City' });
    expect(why).toMatchObject({ location_id: 'synthetic-city', date: '2024-07-01', issue_date: '2024-06-30', model: 'pm25_forecaster v1', unit: 'µg/m³' });
    const forecast = await c.answer(forecastTool, {
      location: 'synthetic-city',
      start_date: '2024-07-01',
    });
    expect(why.pm25).toBeCloseTo(forecast.days[0]!.pm25, 1);
    expect(why.category).toBe(forecast.days[0]!.category);
    expect(why.drivers).toHaveLength(8);
    const sizes = why.drivers.map((d) => Math.abs(d.contribution));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(why.drivers.every((d) => d.meaning.length > 3 && d.meaning !== d.feature)).toBe(true);
  });

  it('explains the interval: the same ends as the forecast, the band today against an average day, and what widened it', async () => {
    const why = await c.answer(tool, { location: 'synthetic-city', date: '2024-07-03' });
    const forecast = await c.answer(forecastTool, {
      location: 'synthetic-city',
      start_date: '2024-07-03',
    });
    const i = why.interval;
    expect([i.lower, i.upper].map((v) => Math.round(v * 100) / 100)).toEqual([forecast.days[0]!.pm25_lower, forecast.days[0]!.pm25_upper]);
    expect(i.lower < why.pm25 && why.pm25 < i.upper).toBe(true);
    expect(i.wideners.length).toBeGreaterThan(0);
    expect(i.wideners.every((w) => w.meaning.length > 3)).toBe(true);
    // The wideners are the largest shares of the band's difference from an average day.
    const sizes = i.wideners.map((w) => Math.abs(w.widening));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(i.band_width).toBeGreaterThan(0);
  });

  it('adds up: the baseline plus every contribution is the forecast; top limits the drivers', async () => {
    const all = await c.answer(tool, { location: 'synthetic-city', date: '2024-07-03', top: 60 });
    expect(all.drivers.length).toBeGreaterThan(30); // the view's inputs and the weather's changes (derived.ts)
    expect(all.drivers.length).toBeLessThan(60);
    expect(all.drivers.map((d) => d.meaning)).toContain('change since the day before in air pressure, hPa');
    expect(all.baseline + all.drivers.reduce((s, d) => s + d.contribution, 0)).toBeCloseTo(all.pm25, 6);
    const top3 = await c.answer(tool, { location: 'synthetic-city', date: '2024-07-03', top: 3 });
    expect(top3.drivers).toEqual(all.drivers.slice(0, 3));
  });

  it('declares NOT_FOUND', () => {
    expect(Object.keys(tool.errors)).toEqual(['NOT_FOUND']);
  });

  it('NOT_FOUND: an unknown place sends the caller to list_locations', async () => {
    const r = await c.call(tool.name, { location: 'Atlantis' });
    expectFailure(r, 'NOT_FOUND', RECOVERY.list_locations, /^no location matches "Atlantis"; closest: synthetic-city/);
  });

  it('NOT_FOUND: a day no forecast covers sends the caller to the forecast days', async () => {
    const past = await c.call(tool.name, { location: 'synthetic-city', date: '2024-05-01' });
    expectFailure(past, 'NOT_FOUND', RECOVERY.forecast_days, /^no forecast for synthetic-city on 2024-05-01 was issued by 2024-06-30$/);
    const early = await c.on('2024-06-29', () => c.call(tool.name, { location: 'synthetic-city' }));
    expectFailure(early, 'NOT_FOUND', RECOVERY.forecast_days, /^no forecast for synthetic-city on 2024-06-30 was issued by 2024-06-29$/);
  });

  it('refuses top 0, at the input schema', async () => {
    expectRefusedInput(await c.call(tool.name, { location: 'synthetic-city', top: 0 }), tool.name, 'top');
  });
});
