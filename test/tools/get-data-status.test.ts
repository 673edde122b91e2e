// get_data_status through a real MCP client: how fresh each place's data and forecast are, the served model, what is stale; refused input.
import { describe, expect, it } from 'vitest';
import tool from '../../tools/get-data-status.tool.js';
import { expectRefusedInput, syntheticToolClient } from '../helpers/tool-client.js';

const c = syntheticToolClient();

describe('get_data_status', () => {
  it('says the synthetic city is up to date: observed today, forecast to a week ahead, by the served model', async () => {
    const s = await c.answer(tool, {});
    expect(s).toMatchObject({ today: '2024-06-30', source: 'synthetic', stale: false, last_run: null, next_run: null });
    expect(s.places).toEqual([
      {
        id: 'synthetic-city',
        name: 'Synthetic City (synthetic data)',
        source: 'synthetic',
        data: expect.stringMatching(/synthetic/),
        last_observation: '2024-06-30',
        forecast_issued: '2024-06-30',
        forecast_until: '2024-07-07',
        stale: [],
      },
    ]);
    expect(s.model).toMatchObject({ name: 'pm25_forecaster', version: 1, trained_through: '2024-06-30', retrain_due: null });
    expect(s.model!.validation_rmse).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(s.model!.trained_at))).toBe(false);
  });

  it('says in words what is out of date when today moves on', async () => {
    const s = await c.on('2024-07-03', () => c.answer(tool, {}));
    expect(s.today).toBe('2024-07-03');
    expect(s.stale).toBe(true);
    expect(s.places[0]!.stale).toEqual(['the last observation is from 2024-06-30, 3 days before today', 'the forecast was issued 2024-06-30, 3 days ago']);
  });

  it('declares no errors of its own', () => {
    expect(tool.errors).toEqual({});
  });

  it('refuses an argument it does not take, at the input schema', async () => {
    expectRefusedInput(await c.call(tool.name, { verbose: true }), tool.name, 'Unrecognized key: "verbose"');
  });
});
