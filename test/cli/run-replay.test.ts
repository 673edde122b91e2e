// `airq run` over the stores that are not live: it advances the Beijing replay to --today, and the synthetic city to the day asked.
import { describe, expect, it } from 'vitest';
import { airq, lastJson } from '../helpers/cli.js';
import { beijingStore, copyStore, syntheticStore } from '../helpers/stores.js';

const beijing = beijingStore();

describe.skipIf(!beijing)('airq run over the Beijing replay', () => {
  it('is up to date at the store’s own day, advances to --today in one run, and refuses to go back or past the archive', { timeout: 180_000 }, async () => {
    const store = copyStore(beijing!);
    const same = await airq(['run', '--store', store]);
    expect([same.code, same.stdout.trim()]).toEqual([0, 'the store is up to date for 2017-02-21: nothing new was written (10 place(s) checked)']);
    const r = lastJson(await airq(['run', '--store', store, '--today', '2017-02-24', '--json']));
    expect(r).toMatchObject({ today: '2017-02-24', up_to_date: false, failed: [], forecast: { predictions_written: 40 } }); // 10 stations × 4 days left in the archive
    expect(r.places).toHaveLength(10);
    expect((r.places as { from: string; to: string }[])[0]).toMatchObject({ from: '2017-02-22', to: '2017-02-24', status: 'updated' });
    const status = lastJson(await airq(['status', '--store', store, '--json']));
    expect(status).toMatchObject({ today: '2017-02-24', source: 'beijing', stale: false, last_run: { today: '2017-02-24', status: 'ok' } });
    const back = await airq(['run', '--store', store, '--today', '2017-02-20']);
    expect([back.code, back.stderr]).toEqual([1, expect.stringMatching(/the store stands at 2017-02-24; `airq run` brings a store forward, not back/)]);
    const past = await airq(['run', '--store', store, '--today', '2017-03-05']);
    expect([past.code, past.stderr]).toEqual([1, expect.stringMatching(/nothing to replay after 2017-02-28/)]);
  });
});

describe('airq run over the synthetic city', () => {
  it('generates the days up to the day asked, forecasts from it, and retrains a model over a week old', { timeout: 180_000 }, async () => {
    const store = copyStore(syntheticStore());
    const r = lastJson(await airq(['run', '--store', store, '--today', '2024-07-09', '--json']));
    expect(r).toMatchObject({
      today: '2024-07-09',
      places: [expect.objectContaining({ id: 'synthetic-city', from: '2024-07-01', to: '2024-07-09', days: 9 })],
      retrain: { reason: expect.stringMatching(/learned from data up to 2024-06-30, 9 days ago/) },
      forecast: { predictions_written: 7 },
    });
    expect(lastJson(await airq(['status', '--store', store, '--today', '2024-07-09', '--json']))).toMatchObject({
      stale: false,
      model: { trained_through: '2024-07-09' },
    });
  });
});
