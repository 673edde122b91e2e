// A request's view of the store: the snapshot it reads and that store's "today", held for the one request.
import { withStore, type FeatureStore, type StoreSource } from '../../store/index.js';
import { todayOf } from '../store-clock.js';
import { listLocations } from './locations.js';

export interface Moment {
  store: FeatureStore;
  /** --today when given, else the store's own clock (see store-clock.ts). */
  today: string;
}

/** Runs a request with the store of the moment; servers pass one to every tool call, resource read and page. */
export type Moments = <T>(fn: (m: Moment) => Promise<T>) => Promise<T>;

/** Each request gets the source's newest store (a LiveStore follows the writer's commits), released when it ends. */
export function momentsOf(source: StoreSource, todayOverride?: string): Moments {
  return (fn) => withStore(source, (store) => fn({ store, today: todayOf(store, todayOverride) }));
}

/** Always this store, with `today()` read at each request (tests and evals, whose today changes per case). */
export function fixedMoments(store: FeatureStore, today: () => string): Moments {
  return (fn) => fn({ store, today: today() });
}

/** Loads what most requests need before a server switches to a new snapshot: the location list and the online tables. */
export async function warmForServing(store: FeatureStore): Promise<void> {
  if (store.listFeatureGroups().some((g) => g.name === 'locations')) await listLocations(store);
  for (const g of store.listFeatureGroups()) if (g.onlineEnabled && g.meta.schema !== null) await g.loadOnline();
}
