// Monitoring on a real store: a month of shifted weather raises a drift alert (in the report and the status), the unchanged store raises none.
import { describe, expect, it } from 'vitest';
import { monitor } from '../../src/airquality/monitoring/monitor.js';
import { dataStatus } from '../../src/airquality/services/status.js';
import { col, FeatureStore } from '../../src/store/index.js';
import { copyStore, SYNTHETIC_TODAY, syntheticStore } from '../helpers/stores.js';

describe('monitoring a store', () => {
  it('stays quiet on the store as built, and fires on a month 15 °C warmer and 40 hPa lower than the same days of earlier years', async () => {
    const store = await FeatureStore.open({ dir: copyStore(syntheticStore()) });
    try {
      const today = SYNTHETIC_TODAY();
      const quiet = await monitor(store, { today, windowDays: 30 });
      expect(quiet.drift[0]!.features.filter((f) => f.level === 'drift').map((f) => f.feature)).toEqual([]);
      const status = await dataStatus(store, today);
      expect(status.alerts).toEqual([]);
      // No alert is not "all is well" where nothing was looked at: no logged forecast of the window was observed yet.
      expect(status.not_judged).toEqual(['forecast accuracy: fewer than 14 logged forecasts were observed in the window']);
      // A year earlier there is one earlier year of these days: how much years differ is unknown, so drift is not judged.
      const young = await monitor(store, { today: '2023-06-30', windowDays: 30 });
      expect(young.drift[0]).toMatchObject({ judged: false, reference_years: 1, features: [] });
      expect(young.not_judged[0]).toBe('input drift: no place has two earlier years of these days yet');

      const weather = store.getFeatureGroup('weather');
      const month = await weather.selectAll().filter(col('date').ge('2024-06-01')).read();
      await weather.insert(
        month.map((r) => ({ ...r, temperature_mean: (r.temperature_mean as number) + 15, pressure_mean: (r.pressure_mean as number) - 40 })),
      );

      const shifted = await monitor(store, { today, windowDays: 30 });
      const drifted = shifted.drift[0]!.features.filter((f) => f.level === 'drift').map((f) => f.feature);
      expect(drifted).toEqual(expect.arrayContaining(['temperature_mean', 'pressure_mean']));
      expect(drifted).not.toContain('wind_u'); // untouched inputs stay as they were
      expect(shifted.alerts).toEqual([expect.stringMatching(/^synthetic-city: inputs unlike the same days of earlier years: .*temperature_mean/)]);
      expect((await dataStatus(store, today)).alerts).toEqual(shifted.alerts); // the status shows it (a new commit: not a cached answer)
    } finally {
      await store.close();
    }
  }, 120_000);
});
