// get_air_quality_forecast through a real MCP client: the next 7 days with intervals, AQI and weather; its errors with their hints; refused input.
import { describe, expect, it } from 'vitest';
import { categoryOf } from '../../src/airquality/services/history.js';
import { RECOVERY } from '../../tools/errors.js';
import tool from '../../tools/get-air-quality-forecast.tool.js';
import { expectFailure, expectRefusedInput, syntheticToolClient } from '../helpers/tool-client.js';

const WEEK = ['2024-07-01', '2024-07-02', '2024-07-03', '2024-07-04', '2024-07-05', '2024-07-06', '2024-07-07'];
const c = syntheticToolClient();

describe('get_air_quality_forecast', () => {
  it('forecasts the 7 days after today, each inside its 80% interval, with its AQI category and forecast weather', async () => {
    const f = await c.answer(tool, { location: 'synthetic' });
    expect(f).toMatchObject({ location: { location_id: 'synthetic-city' }, unit: 'µg/m³', today: '2024-06-30', interval: '80% prediction interval' });
    expect(f.data_age).toBeNull();
    expect(f.days.map((d) => d.date)).toEqual(WEEK);
    expect(f.days.map((d) => d.days_ahead)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const d of f.days) {
      expect(d).toMatchObject({ kind: 'forecast', issue_date: '2024-06-30', model: 'pm25_forecaster v1', perfect_forecast: false });
      expect(d.pm25_lower).toBeLessThanOrEqual(d.pm25);
      expect(d.pm25).toBeLessThanOrEqual(d.pm25_upper);
      expect(d.pm25_upper).toBeGreaterThan(d.pm25_lower);
      expect({ aqi: d.aqi, category: d.category, advice: d.advice }).toEqual(categoryOf(d.pm25));
      expect(d.weather).toMatchObject({ forecast: true, temperature_c: expect.any(Number) });
    }
  });

  it('gives one day for start_date alone, and the days between start_date and end_date', async () => {
    const week = await c.answer(tool, { location: 'synthetic-city' });
    const one = await c.answer(tool, { location: 'synthetic-city', start_date: '2024-07-03' });
    expect(one.days).toEqual([week.days[2]]);
    const some = await c.answer(tool, { location: 'synthetic-city', start_date: '2024-07-05', end_date: '2024-07-07' });
    expect(some.days).toEqual(week.days.slice(4));
  });

  it('says the forecast is old when it was issued before today', async () => {
    const f = await c.on('2024-07-03', () => c.answer(tool, { location: 'synthetic-city' }));
    expect(f.today).toBe('2024-07-03');
    expect(f.days.map((d) => [d.date, d.issue_date])).toEqual(WEEK.slice(3).map((d) => [d, '2024-06-30']));
    expect(f.data_age).toMatch(/2024-06-30/);
  });

  it('declares NOT_FOUND and VALIDATION', () => {
    expect(Object.keys(tool.errors).sort()).toEqual(['NOT_FOUND', 'VALIDATION']);
  });

  it('NOT_FOUND: an unknown place sends the caller to list_locations', async () => {
    const r = await c.call(tool.name, { location: 'Atlantis' });
    expectFailure(r, 'NOT_FOUND', RECOVERY.list_locations, /^no location matches "Atlantis"; closest: synthetic-city/);
  });

  it('NOT_FOUND: a known place with no forecast issued yet', async () => {
    const r = await c.on('2024-01-10', () => c.call(tool.name, { location: 'synthetic-city' }));
    expectFailure(r, 'NOT_FOUND', tool.errors.NOT_FOUND, /^no forecast for synthetic-city issued by 2024-01-10 covers 2024-01-11 to 2024-01-17/);
  });

  it('VALIDATION: an end before the start gets the declared hint; a day outside the forecast week is sent to the history', async () => {
    const backwards = await c.call(tool.name, { location: 'synthetic-city', start_date: '2024-07-03', end_date: '2024-07-02' });
    expectFailure(backwards, 'VALIDATION', tool.errors.VALIDATION, /^end_date 2024-07-02 is before start_date 2024-07-03$/);
    const past = await c.call(tool.name, { location: 'synthetic-city', start_date: '2024-06-20' });
    expectFailure(past, 'VALIDATION', RECOVERY.history, /^forecasts cover the 7 days after today \(2024-06-30\): 2024-07-01 to 2024-07-07$/);
    const far = await c.call(tool.name, { location: 'synthetic-city', start_date: '2024-07-06', end_date: '2024-07-08' });
    expectFailure(far, 'VALIDATION', RECOVERY.history, /^forecasts cover the 7 days after today/);
  });

  it('refuses a date not written YYYY-MM-DD, at the input schema', async () => {
    expectRefusedInput(await c.call(tool.name, { location: 'synthetic-city', end_date: '7/1/2024' }), tool.name, 'end_date');
  });
});
