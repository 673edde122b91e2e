// list_feature_groups through a real MCP client: every group with keys, typed columns, row counts and searchable columns, and the input it refuses.
import { describe, expect, it } from 'vitest';
import tool from '../../tools/list-feature-groups.tool.js';
import historyTool from '../../tools/get-air-quality-history.tool.js';
import { expectRefusedInput, syntheticToolClient } from '../helpers/tool-client.js';

const c = syntheticToolClient();

describe('list_feature_groups', () => {
  it('lists every group of the store with its keys, event time, row count and described columns', async () => {
    const { feature_groups: groups } = await c.answer(tool, {});
    expect(groups.map((g) => g.name).sort()).toEqual([
      'air_quality',
      'air_quality_lags',
      'aq_predictions',
      'day_patterns',
      'documents',
      'forecast_targets',
      'locations',
      'weather',
    ]);
    expect(groups.every((g) => g.version === 1 && g.description.length > 10)).toBe(true);
    const aq = groups.find((g) => g.name === 'air_quality')!;
    expect(aq).toMatchObject({ primary_key: ['location_id'], event_time: 'date', searchable_columns: [] });
    expect(aq.columns.find((col) => col.name === 'pm25')).toMatchObject({ type: expect.any(String), description: expect.stringMatching(/µg\/m³/) });
    // Three years of one place's days, as the history says (2021-07-01 to 2024-06-30).
    const h = await c.answer(historyTool, { location: 'synthetic-city' });
    expect(h.available).toEqual({ first: '2021-07-01', last: '2024-06-30' });
    expect(aq.rows).toBe(1096);
    expect(groups.find((g) => g.name === 'locations')!.rows).toBe(1);
    expect(groups.find((g) => g.name === 'aq_predictions')!.rows).toBe(7);
  });

  it('names the searchable vector columns with their dimensions', async () => {
    const { feature_groups: groups } = await c.answer(tool, {});
    const docs = groups.find((g) => g.name === 'documents')!;
    expect(docs.searchable_columns).toEqual(['embedding']);
    expect(docs.columns.find((col) => col.name === 'embedding')!.type).toBe('vector(384)');
    const patterns = groups.find((g) => g.name === 'day_patterns')!;
    expect(patterns.searchable_columns).toEqual(['weather_vec', 'pattern_vec']);
    expect(patterns.columns.filter((col) => col.type.startsWith('vector(')).map((col) => [col.name, col.type])).toEqual([
      ['weather_vec', 'vector(14)'],
      ['pattern_vec', 'vector(17)'],
    ]);
    expect(
      groups
        .filter((g) => g.searchable_columns.length > 0)
        .map((g) => g.name)
        .sort(),
    ).toEqual(['day_patterns', 'documents']);
  });

  it('declares no errors of its own', () => {
    expect(tool.errors).toEqual({});
  });

  it('refuses an argument it does not take, at the input schema', async () => {
    expectRefusedInput(await c.call(tool.name, { name: 'documents' }), tool.name, 'Unrecognized key: "name"');
  });
});
