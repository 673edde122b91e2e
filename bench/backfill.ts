// Benchmark: backfill all UCI Beijing station files of a folder into a fresh store.
import { backfillBeijing } from '../src/airquality/pipelines/beijing-pipeline.js';
import { FeatureStore } from '../src/store/index.js';
import { round, withScratchDir } from './common.js';

export async function benchBackfill(path: string, log: (s: string) => void = () => undefined) {
  return withScratchDir(async (dir) => {
    const store = await FeatureStore.open({ dir });
    try {
      const t0 = performance.now();
      const r = await backfillBeijing(store, path, { progress: ({ done, total, message }) => log(`${done}/${total} ${message}`) });
      return { stations: r.stations.length, hourly_rows: r.hourlyRows, days: r.days, seconds: round((performance.now() - t0) / 1000, 2) };
    } finally {
      await store.close();
    }
  });
}
