// find_similar_days through a real MCP client: earlier days most like a day, with the PM2.5 after each; its errors with their hints; refused input.
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/core/dates.js';
import { RECOVERY } from '../../tools/errors.js';
import tool from '../../tools/find-similar-days.tool.js';
import historyTool from '../../tools/get-air-quality-history.tool.js';
import { beijingStore } from '../helpers/stores.js';
import { expectFailure, expectRefusedInput, syntheticToolClient, toolClient } from '../helpers/tool-client.js';

const c = syntheticToolClient();

/** The observed PM2.5 of each day from `from` to `to`, by date. */
async function pm25By(from: string, to: string): Promise<Map<string, number | null>> {
  const h = await c.answer(historyTool, { location: 'synthetic-city', start_date: from, end_date: to });
  return new Map(h.days.map((d) => [d.date, d.pm25]));
}

describe('find_similar_days', () => {
  it('compares the latest day up to today by default, and finds k earlier days, nearest first', async () => {
    const s = await c.answer(tool, { location: 'synthetic city', k: 3 });
    expect(s.unit).toBe('µg/m³');
    expect(s.day).toMatchObject({ location_id: 'synthetic-city', date: '2024-06-30' });
    expect(s.day.pm25).toBe((await pm25By('2024-06-30', '2024-06-30')).get('2024-06-30'));
    expect(s.similar).toHaveLength(3);
    expect(s.similar.every((d) => d.location_id === 'synthetic-city' && d.date < '2024-06-30')).toBe(true);
    const distances = s.similar.map((d) => d.distance);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(distances[0]).toBeGreaterThan(0);
    expect((await c.answer(tool, { location: 'synthetic-city' })).similar).toHaveLength(5); // k defaults to 5
  });

  it("gives each similar day's PM2.5 and the next three days' as the history records them", async () => {
    const s = await c.answer(tool, { location: 'synthetic-city', date: '2024-03-15', k: 2 });
    expect(s.day.date).toBe('2024-03-15');
    for (const d of s.similar) {
      const observed = await pm25By(d.date, addDays(d.date, 3));
      expect(d.pm25).toBe(observed.get(d.date));
      expect(d.next_days).toEqual([1, 2, 3].map((i) => observed.get(addDays(d.date, i))));
    }
  });

  it('takes today from the server: the default day follows it', async () => {
    const s = await c.on('2024-06-15', () => c.answer(tool, { location: 'synthetic-city', k: 1 }));
    expect(s.day.date).toBe('2024-06-15');
    expect(s.similar[0]!.date < '2024-06-15').toBe(true);
  });

  it('declares NOT_FOUND and VALIDATION', () => {
    expect(Object.keys(tool.errors).sort()).toEqual(['NOT_FOUND', 'VALIDATION']);
  });

  it('VALIDATION: a day after today, even one the store has a pattern for', async () => {
    const r = await c.on('2024-06-01', () => c.call(tool.name, { location: 'synthetic-city', date: '2024-06-15', k: 3 }));
    expectFailure(r, 'VALIDATION', tool.errors.VALIDATION, /^2024-06-15 is after today \(2024-06-01\)/);
  });

  it('NOT_FOUND: an unknown place sends the caller to list_locations', async () => {
    const r = await c.call(tool.name, { location: 'Atlantis' });
    expectFailure(r, 'NOT_FOUND', RECOVERY.list_locations, /^no location matches "Atlantis"; closest: synthetic-city/);
  });

  it('NOT_FOUND: a day without a pattern, or no pattern up to today, gets the declared hint', async () => {
    const before = await c.call(tool.name, { location: 'synthetic-city', date: '2020-07-05' });
    expectFailure(before, 'NOT_FOUND', tool.errors.NOT_FOUND, /^no day pattern for synthetic-city on 2020-07-05: it needs that day's weather and PM2\.5/);
    const none = await c.on('2020-01-01', () => c.call(tool.name, { location: 'synthetic-city' }));
    expectFailure(none, 'NOT_FOUND', tool.errors.NOT_FOUND, /^no day patterns for synthetic-city up to 2020-01-01/);
  });

  it('refuses k over 50, at the input schema', async () => {
    expectRefusedInput(await c.call(tool.name, { location: 'synthetic-city', k: 51 }), tool.name, 'k');
  });
});

describe.skipIf(!beijingStore())('find_similar_days on the Beijing store', () => {
  it('searches one station, or every station with all_locations', async () => {
    const b = await toolClient(beijingStore()!, { today: '2017-02-21' });
    try {
      const one = await b.answer(tool, { location: 'Dongsi', k: 10 });
      expect(one.day.location_id).toBe('beijing-dongsi');
      expect(one.day.date <= '2017-02-21').toBe(true);
      expect(new Set(one.similar.map((d) => d.location_id))).toEqual(new Set(['beijing-dongsi']));
      const all = await b.answer(tool, { location: 'Dongsi', date: one.day.date, k: 10, all_locations: true });
      expect(all.day).toEqual(one.day);
      expect(new Set(all.similar.map((d) => d.location_id)).size).toBeGreaterThan(1);
      expect(all.similar.every((d) => d.date < one.day.date)).toBe(true);
      const distances = all.similar.map((d) => d.distance);
      expect(distances).toEqual([...distances].sort((a, b) => a - b));
    } finally {
      await b.close();
    }
  });
});
