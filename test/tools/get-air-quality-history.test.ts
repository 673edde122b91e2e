// get_air_quality_history through a real MCP client: daily values with units, AQI and weather; its errors with their hints; refused input.
import { describe, expect, it } from 'vitest';
import { categoryOf, MAX_RANGE_DAYS } from '../../src/airquality/services/history.js';
import { RECOVERY } from '../../tools/errors.js';
import tool from '../../tools/get-air-quality-history.tool.js';
import { beijingStore } from '../helpers/stores.js';
import { expectFailure, expectRefusedInput, syntheticToolClient, toolClient } from '../helpers/tool-client.js';

const c = syntheticToolClient();

describe('get_air_quality_history', () => {
  it('gives the week up to today by default, for a place named by its alias, with units, AQI categories and recorded weather', async () => {
    const h = await c.answer(tool, { location: 'Demo City' });
    expect(h).toMatchObject({ location: { location_id: 'synthetic-city' }, unit: 'µg/m³', start_date: '2024-06-24', end_date: '2024-06-30', data_age: null });
    expect(h.available).toEqual({ first: '2021-07-01', last: '2024-06-30' });
    expect(h.note).toBeUndefined();
    expect(h.days.map((d) => d.date)).toEqual(['2024-06-24', '2024-06-25', '2024-06-26', '2024-06-27', '2024-06-28', '2024-06-29', '2024-06-30']);
    for (const d of h.days) {
      expect(d.kind).toBe('synthetic');
      expect(d.hours_measured).toBe(24);
      expect(d.pm25).toBeGreaterThan(0);
      expect(d.pm25_max!).toBeGreaterThanOrEqual(d.pm25!);
      expect({ aqi: d.aqi, category: d.category, advice: d.advice }).toEqual(categoryOf(d.pm25));
      expect(d.weather).toMatchObject({ forecast: false, temperature_c: expect.any(Number) });
    }
  });

  it('gives exactly the days asked for, and says that a range without data is missing data, not clean air', async () => {
    const h = await c.answer(tool, { location: 'synthetic-city', start_date: '2024-02-27', end_date: '2024-03-02' });
    expect(h.days.map((d) => d.date)).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02']);
    const empty = await c.answer(tool, { location: 'synthetic-city', start_date: '2010-01-01', end_date: '2010-01-31' });
    expect(empty.days).toEqual([]);
    expect(empty.note).toMatch(/^no measurements for synthetic-city from 2010-01-01 to 2010-01-31 — that is missing data, not clean air/);
  });

  it('says how old the data is when it stops before today', async () => {
    const h = await c.on('2024-07-04', () => c.answer(tool, { location: 'synthetic-city' }));
    expect(h.days.map((d) => d.date)).toEqual(['2024-06-28', '2024-06-29', '2024-06-30']);
    expect(h.data_age).toMatch(/2024-06-30, 4 days before today \(2024-07-04\)/);
  });

  it('declares NOT_FOUND and VALIDATION', () => {
    expect(Object.keys(tool.errors).sort()).toEqual(['NOT_FOUND', 'VALIDATION']);
  });

  it('NOT_FOUND: an unknown place names the closest and sends the caller to list_locations', async () => {
    const r = await c.call(tool.name, { location: 'Atlantis' });
    expectFailure(r, 'NOT_FOUND', RECOVERY.list_locations, /^no location matches "Atlantis"; closest: synthetic-city/);
  });

  it('VALIDATION: an end before the start, or a range longer than allowed', async () => {
    const backwards = await c.call(tool.name, { location: 'synthetic-city', start_date: '2024-06-10', end_date: '2024-06-01' });
    expectFailure(backwards, 'VALIDATION', tool.errors.VALIDATION, /^end_date 2024-06-01 is before start_date 2024-06-10$/);
    const long = await c.call(tool.name, { location: 'synthetic-city', start_date: '2022-01-01', end_date: '2024-01-01' });
    expectFailure(long, 'VALIDATION', tool.errors.VALIDATION, new RegExp(`the range has 731 days; ask for at most ${MAX_RANGE_DAYS}`));
  });

  it('refuses a date that is not on the calendar, at the input schema', async () => {
    expectRefusedInput(await c.call(tool.name, { location: 'synthetic-city', start_date: '2024-02-30' }), tool.name, 'start_date');
  });
});

describe.skipIf(!beijingStore())('get_air_quality_history on the Beijing store', () => {
  it('resolves a station by its name, labels replayed values, and refuses a name several stations share', async () => {
    const b = await toolClient(beijingStore()!, { today: '2017-02-21' });
    try {
      const h = await b.answer(tool, { location: 'Dongsi', start_date: '2017-02-01', end_date: '2017-02-03' });
      expect(h.location.location_id).toBe('beijing-dongsi');
      expect(h.days.map((d) => [d.date, d.kind])).toEqual([
        ['2017-02-01', 'replayed'],
        ['2017-02-02', 'replayed'],
        ['2017-02-03', 'replayed'],
      ]);
      const r = await b.call(tool.name, { location: 'Beijing' });
      expectFailure(r, 'NOT_FOUND', RECOVERY.list_locations, /^"Beijing" matches several locations; closest: beijing-aotizhongxin/);
    } finally {
      await b.close();
    }
  });
});
