// The place the tools' description examples name: one the store has, so every example a model copies works on this store.
import { listLocations } from '../airquality/services/locations.js';
import type { Moments } from '../airquality/services/moment.js';

export interface ExamplePlace {
  name: string;
  id: string;
}

/** For a store without places (nothing can be answered there yet): the first UCI Beijing station. */
export const FALLBACK_PLACE: ExamplePlace = { name: 'Aotizhongxin', id: 'beijing-aotizhongxin' };

/** The store's first place by id, read once when the server starts. */
export async function examplePlaceOf(moments: Moments): Promise<ExamplePlace> {
  const first = await moments(async ({ store }) => (await listLocations(store))[0]).catch(() => undefined);
  return first ? { name: first.name, id: first.location_id } : FALLBACK_PLACE;
}

/** `description` with `{place}` and `{place_id}` replaced by the example place's name and id. */
export const withExamplePlace = (description: string, place: ExamplePlace = FALLBACK_PLACE): string =>
  description.replaceAll('{place_id}', place.id).replaceAll('{place}', place.name);
