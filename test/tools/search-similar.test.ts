// search_similar through a real MCP client: text and vector searches, filters and modes; its errors with their hints; refused input.
import { describe, expect, it } from 'vitest';
import tool from '../../tools/search-similar.tool.js';
import { expectFailure, expectRefusedInput, syntheticToolClient } from '../helpers/tool-client.js';

const c = syntheticToolClient();

const descending = (xs: number[]) => expect(xs).toEqual([...xs].sort((a, b) => b - a));

describe('search_similar', () => {
  it('finds the WHO guideline for a text question, hybrid by default, without sending vectors back', async () => {
    const s = await c.answer(tool, { feature_group: 'documents', query: 'WHO guideline for PM2.5', k: 3 });
    expect(s).toMatchObject({ feature_group: 'documents', version: 1, mode: 'hybrid' });
    expect(s.results).toHaveLength(3);
    expect(s.results[0]!.row).toMatchObject({ doc_id: 'who-guidelines', title: expect.any(String), text: expect.any(String) });
    expect(s.results.every((r) => !('embedding' in r.row))).toBe(true);
    expect(s.results.every((r) => r.score > 0 && r.score <= 2 / 60 && r.ranks !== undefined)).toBe(true);
    descending(s.results.map((r) => r.score));
  });

  it('keeps only rows matching the filter, and searches by words alone in lexical mode', async () => {
    const who = await c.answer(tool, {
      feature_group: 'documents',
      query: 'exercise outdoors',
      k: 2,
      filter: [{ column: 'doc_id', value: 'who-guidelines' }],
    });
    expect(who.results.length).toBeGreaterThan(0);
    expect(who.results.every((r) => r.row.doc_id === 'who-guidelines')).toBe(true);
    const words = await c.answer(tool, { feature_group: 'documents', query: 'WHO guideline', k: 4, mode: 'lexical' });
    expect(words.mode).toBe('lexical');
    expect(words.results).toHaveLength(4);
    expect(words.results.every((r) => r.ranks === undefined && r.score > 0)).toBe(true);
    descending(words.results.map((r) => r.score));
  });

  it('searches a numeric group by a vector of its column: the day patterns of one place, nearest first', async () => {
    const s = await c.answer(tool, {
      feature_group: 'day_patterns',
      query: Array.from({ length: 17 }, (_, i) => (i % 3) - 1),
      column: 'pattern_vec',
      k: 4,
      filter: [{ column: 'location_id', value: 'synthetic-city' }],
    });
    expect(s).toMatchObject({ feature_group: 'day_patterns', mode: 'vector' });
    expect(s.results).toHaveLength(4);
    expect(s.results.every((r) => r.row.location_id === 'synthetic-city' && typeof r.row.date === 'string')).toBe(true);
    expect(s.results.every((r) => !('pattern_vec' in r.row) && !('weather_vec' in r.row))).toBe(true);
    descending(s.results.map((r) => r.score));
  });

  it('declares VALIDATION and NOT_FOUND', () => {
    expect(Object.keys(tool.errors).sort()).toEqual(['NOT_FOUND', 'VALIDATION']);
  });

  it('VALIDATION: a group that is not searchable, a vector of the wrong length, or a word mode for a vector', async () => {
    const weather = await c.call(tool.name, { feature_group: 'weather', query: 'rain' });
    expectFailure(weather, 'VALIDATION', tool.errors.VALIDATION, /^"weather" is not a searchable feature group; searchable: day_patterns, documents$/);
    const short = await c.call(tool.name, { feature_group: 'documents', query: [1, 2, 3] });
    expectFailure(short, 'VALIDATION', tool.errors.VALIDATION, /^documents\.embedding holds vectors of 384; the query has 3$/);
    const lexical = await c.call(tool.name, { feature_group: 'day_patterns', query: [1, 2, 3], mode: 'lexical' });
    expectFailure(lexical, 'VALIDATION', tool.errors.VALIDATION, /^mode lexical needs a text query/);
    const column = await c.call(tool.name, { feature_group: 'documents', query: 'WHO guideline', filter: [{ column: 'nope', value: 'x' }] });
    expectFailure(column, 'VALIDATION', tool.errors.VALIDATION, /^filter column "nope" is not in the group/);
  });

  it('NOT_FOUND: a vector column the group does not index', async () => {
    const r = await c.call(tool.name, { feature_group: 'documents', query: 'smog', column: 'text' });
    expectFailure(r, 'NOT_FOUND', tool.errors.NOT_FOUND, /^feature group documents v1 has no embedding index on "text"; indexed: embedding$/);
  });

  it('refuses a mode it does not know, at the input schema', async () => {
    expectRefusedInput(await c.call(tool.name, { feature_group: 'documents', query: 'smog', mode: 'semantic' }), tool.name, 'mode');
  });
});
