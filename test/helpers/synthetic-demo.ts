// The synthetic demo store, built in process the way `airq demo --source synthetic` builds it.
import { runSynthetic } from '../../src/airquality/pipelines/synthetic-pipeline.js';
import { makeReady } from '../../src/airquality/ready-store.js';
import { HashingEmbedder } from '../../src/embed/hashing.js';
import { FeatureStore } from '../../src/store/index.js';

export const SYNTHETIC_TODAY = '2024-06-30';

export async function buildSyntheticDemo(dir: string, today = SYNTHETIC_TODAY): Promise<void> {
  const store = await FeatureStore.open({ dir });
  try {
    await runSynthetic(store, { end: today, forecastDays: 7, seed: 1 });
    await makeReady(store, today, new HashingEmbedder());
  } finally {
    await store.close();
  }
}
