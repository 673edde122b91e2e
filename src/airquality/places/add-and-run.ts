// Adding a place from a conversation (the add_place tool): open the store as its writer, find the place, backfill it, run, with progress.
import type { Embedder } from '../../embed/index.js';
import { FeatureStore } from '../../store/index.js';
import { updateStore, type UpdateResult } from '../pipelines/update-store.js';
import type { Providers } from '../pipelines/place-pipeline.js';
import { placeToday, storeToday } from '../store-clock.js';
import type { Location } from '../locations.js';
import type { PlaceInput } from './place-input.js';
import { addPlace, resolvePlace } from './places.js';

export interface AddAndRunOptions {
  providers: Providers;
  embedder(): Promise<Embedder>;
  /** The serving process's today: a --today it was given holds for the new place and the run. */
  today: string;
  progress(done: number, total: number, message: string): Promise<void>;
  /** How long to wait for another writer. */
  waitMs?: number;
}

export interface AddedAndRun {
  place: Location;
  historyDays: number;
  historyUntil: string;
  run: UpdateResult;
}

export async function addPlaceAndRun(storeDir: string, input: PlaceInput, o: AddAndRunOptions): Promise<AddedAndRun> {
  await o.progress(0, 4, 'opening the store for writing');
  const store = await FeatureStore.open({ dir: storeDir, wait: { waitMs: o.waitMs ?? 60_000, command: 'the add_place tool' } });
  try {
    await o.progress(1, 4, `looking up ${input.name}`);
    const place = await resolvePlace(store, input, o.providers);
    await o.progress(2, 4, `fetching a year of history for ${place.location_id}`);
    // The server's today when it was given one (--today), else each place's own day.
    const given = o.today === storeToday(store) ? undefined : o.today;
    const added = await addPlace(store, place, o.providers, placeToday(place.timezone, o.today));
    await o.progress(3, 4, 'training the forecaster and forecasting');
    const run = await updateStore(store, { providers: o.providers, embedder: o.embedder, trigger: 'add_place', today: given });
    await o.progress(4, 4, 'done');
    return { place, historyDays: added.run.days, historyUntil: added.today, run };
  } finally {
    await store.close();
  }
}
