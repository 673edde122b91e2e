// A reader that follows the writer: each request gets the newest read snapshot; older ones close after their last request.
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { FeatureStore } from './feature-store.js';
import type { OpenOptions } from './open-store.js';
import { currentStamp, readCurrent } from './snapshots.js';

/** One request's hold on a store: it stays open until released. */
export interface StoreLease {
  store: FeatureStore;
  release(): void;
}

/** Where requests get their store: a long-running reader's (LiveStore) or one this process holds (fixedSource). */
export interface StoreSource {
  acquire(): Promise<StoreLease>;
  close(): Promise<void>;
}

/** Runs `fn` with a store from `source`, released when `fn` settles. */
export async function withStore<T>(source: StoreSource, fn: (store: FeatureStore) => Promise<T>): Promise<T> {
  const lease = await source.acquire();
  try {
    return await fn(lease.store);
  } finally {
    lease.release();
  }
}

/** A source that always hands out `store` (the writer's own store, or a test's); closing it closes the store. */
export function fixedSource(store: FeatureStore): StoreSource {
  return { acquire: async () => ({ store, release: () => undefined }), close: () => store.close() };
}

interface Entry {
  store: FeatureStore;
  stamp: string | undefined;
  refs: number;
  retired: boolean;
}

export class LiveStore implements StoreSource {
  private opening: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private entry: Entry,
    private readonly options: OpenOptions & { onOpen?: (store: FeatureStore) => void },
    private readonly log?: Logger,
  ) {}

  /** Opens the newest snapshot of the store in `options.dir`; `onOpen` sets up each store it opens (transformations...). */
  static async open(options: Omit<OpenOptions, 'readOnly'> & { onOpen?: (store: FeatureStore) => void }): Promise<LiveStore> {
    const stamp = currentStamp(options.dir);
    const store = await FeatureStore.open({ ...options, readOnly: true });
    options.onOpen?.(store);
    return new LiveStore({ store, stamp, refs: 0, retired: false }, options, options.log);
  }

  /** The store of the newest snapshot (opened now when the writer published since the last request). */
  async acquire(): Promise<StoreLease> {
    if (this.closed) throw new Error('this live store is closed');
    const stamp = currentStamp(this.entry.store.dir);
    if (stamp !== this.entry.stamp) await (this.opening ??= this.refresh(stamp).finally(() => (this.opening = undefined)));
    const entry = this.entry;
    entry.refs++;
    let released = false;
    return {
      store: entry.store,
      release: () => {
        if (released) return;
        released = true;
        entry.refs--;
        if (entry.retired && entry.refs === 0) void entry.store.close();
      },
    };
  }

  /** The store requests get now, without checking for a newer snapshot (for synchronous lookups such as completions). */
  get latest(): FeatureStore {
    return this.entry.store;
  }

  private async refresh(stamp: string | undefined): Promise<void> {
    const old = this.entry;
    try {
      if (readCurrent(old.store.dir)?.name === old.store.snapshot?.name) {
        old.stamp = stamp;
        return;
      }
      const store = await FeatureStore.open({ ...this.options, readOnly: true });
      this.options.onOpen?.(store);
      this.entry = { store, stamp, refs: 0, retired: false };
      old.retired = true;
      if (old.refs === 0) await old.store.close();
    } catch (e) {
      // Keep answering from the snapshot we have; try again when the writer publishes the next.
      old.stamp = stamp;
      this.log?.warn(`still reading snapshot ${old.store.snapshot?.name ?? '?'}: the newer one could not be opened (${errorMessage(e)})`);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.opening;
    this.entry.retired = true;
    if (this.entry.refs === 0) await this.entry.store.close();
  }
}
