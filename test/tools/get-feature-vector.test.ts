// get_feature_vector through a real MCP client: a place's online feature vector in training order; its errors with their hints; refused input.
import { describe, expect, it } from 'vitest';
import tool from '../../tools/get-feature-vector.tool.js';
import historyTool from '../../tools/get-air-quality-history.tool.js';
import { expectFailure, expectRefusedInput, syntheticToolClient } from '../helpers/tool-client.js';

const CITY = [{ column: 'location_id', value: 'synthetic-city' }];
const c = syntheticToolClient();

describe('get_feature_vector', () => {
  it('serves the latest PM2.5 state and weather of a place, in training order, with the lags the history records', async () => {
    const v = await c.answer(tool, { feature_view: 'pm25_state', entity: CITY });
    expect(v).toMatchObject({ feature_view: 'pm25_state', version: 1, entity: { location_id: 'synthetic-city' } });
    expect(Object.keys(v.features)).toEqual([
      'pm25_lag1',
      'pm25_lag2',
      'pm25_lag3',
      'pm25_lag7',
      'pm25_mean_3d',
      'pm25_mean_7d',
      'weather_temperature_mean',
      'weather_dew_point_mean',
      'weather_pressure_mean',
      'weather_precipitation_sum',
      'weather_wind_speed_mean',
      'weather_wind_speed_max',
      'weather_wind_u',
      'weather_wind_v',
    ]);
    expect(Object.values(v.features).every((x) => typeof x === 'number' && Number.isFinite(x))).toBe(true);
    const h = await c.answer(historyTool, { location: 'synthetic-city', start_date: '2024-06-23' });
    const pm25 = new Map(h.days.map((d) => [d.date, d.pm25]));
    expect([v.features.pm25_lag1, v.features.pm25_lag2, v.features.pm25_lag3, v.features.pm25_lag7]).toEqual(
      ['2024-06-29', '2024-06-28', '2024-06-27', '2024-06-23'].map((d) => pm25.get(d)),
    );
  });

  it('serves the version asked for', async () => {
    const v = await c.answer(tool, { feature_view: 'pm25_state', entity: CITY, version: 1 });
    expect(v.version).toBe(1);
  });

  it('declares NOT_FOUND and VALIDATION', () => {
    expect(Object.keys(tool.errors).sort()).toEqual(['NOT_FOUND', 'VALIDATION']);
  });

  it('NOT_FOUND: an unknown view or version, or an entity without an online row (a name instead of an id)', async () => {
    const view = await c.call(tool.name, { feature_view: 'nope', entity: CITY });
    expectFailure(view, 'NOT_FOUND', tool.errors.NOT_FOUND, /^no feature view named "nope"; the store has: .*pm25_state/);
    const version = await c.call(tool.name, { feature_view: 'pm25_state', entity: CITY, version: 7 });
    expectFailure(version, 'NOT_FOUND', tool.errors.NOT_FOUND, /^feature view pm25_state has no version 7; versions: 1$/);
    const named = await c.call(tool.name, { feature_view: 'pm25_state', entity: [{ column: 'location_id', value: 'Synthetic City' }] });
    expectFailure(named, 'NOT_FOUND', tool.errors.NOT_FOUND, /no online row for location_id=Synthetic City in air_quality_lags$/);
  });

  it("VALIDATION: an entity without the view's key column, or a view that cannot serve online", async () => {
    const keyless = await c.call(tool.name, { feature_view: 'pm25_state', entity: [{ column: 'city', value: 'Synthetic City' }] });
    expectFailure(keyless, 'VALIDATION', tool.errors.VALIDATION, /the serving key needs location_id; missing location_id$/);
    const offline = await c.call(tool.name, { feature_view: 'air_quality_fv', entity: CITY });
    expectFailure(offline, 'VALIDATION', tool.errors.VALIDATION, /is not online-enabled, so the view cannot serve online$/);
  });

  it('refuses an entity that gives a column twice, at the input schema', async () => {
    const twice = [...CITY, { column: 'location_id', value: 'other' }];
    expectRefusedInput(await c.call(tool.name, { feature_view: 'pm25_state', entity: twice }), tool.name, 'entity: give each column once');
  });
});
