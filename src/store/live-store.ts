// A reader that follows the writer: it opens each newly published snapshot in the background and switches to it; requests never wait.
import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../core/errors.js';
import { FeatureStore } from './feature-store.js';
import type { OpenOptions } from './open-store.js';
import { currentStamp, readCurrent, READ_DIR, SNAPSHOT_GRACE_MS, tidySnapshots } from './snapshots.js';

/** One request's hold on a store: it stays open until released. */
export interface StoreLease {
  store: FeatureStore;
  release(): void;
}

/** Where requests get their store (a LiveStore follows the writer's snapshots). */
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

interface Entry {
  store: FeatureStore;
  refs: number;
  retired: boolean;
}

export interface LiveOptions extends Omit<OpenOptions, 'readOnly'> {
  /** Sets up and warms each store before requests get it (transformations, caches, online tables). */
  prepare?: (store: FeatureStore) => Promise<void>;
}

export class LiveStore implements StoreSource {
  private refreshing: Promise<void> | undefined;
  /** The stamp of read/CURRENT the newest open (or opening) snapshot came from. */
  private stamp: string | undefined;
  private watcher: FSWatcher | undefined;
  private closed = false;

  private constructor(
    private entry: Entry,
    private readonly options: LiveOptions,
  ) {}

  /** Opens the newest snapshot of the store in `options.dir` and starts following its writer. */
  static async open(options: LiveOptions): Promise<LiveStore> {
    const stamp = currentStamp(options.dir);
    const store = await FeatureStore.open({ ...options, readOnly: true });
    await options.prepare?.(store).catch(async (e: unknown) => {
      await store.close();
      throw e;
    });
    const live = new LiveStore({ store, refs: 0, retired: false }, options);
    live.stamp = stamp;
    live.follow();
    return live;
  }

  /** Watches read/ so a publish starts opening the new snapshot at once; a request's stat check covers missed events. */
  private follow(): void {
    try {
      this.watcher = watch(join(this.entry.store.dir, READ_DIR), () => this.checkForNewer());
      this.watcher.on('error', () => this.watcher?.close());
      this.watcher.unref();
    } catch {
      this.watcher = undefined; // no watching here (a network file system): the per-request check is enough
    }
  }

  /** The newest open snapshot's store. A newer snapshot being opened meanwhile is switched to when ready. */
  async acquire(): Promise<StoreLease> {
    if (this.closed) throw new Error('this live store is closed');
    this.checkForNewer();
    const entry = this.entry;
    entry.refs++;
    let released = false;
    return {
      store: entry.store,
      release: () => {
        if (released) return;
        released = true;
        entry.refs--;
        if (entry.retired) void closeWhenIdle(entry);
      },
    };
  }

  /** Waits until the snapshot published last is the one requests get (tests, and callers that just wrote). */
  async catchUp(): Promise<void> {
    this.checkForNewer();
    while (this.refreshing) await this.refreshing;
  }

  private checkForNewer(): void {
    if (this.closed || this.refreshing) return;
    const stamp = currentStamp(this.entry.store.dir);
    if (stamp === this.stamp) return;
    this.stamp = stamp;
    this.refreshing = this.refresh().finally(() => {
      this.refreshing = undefined;
      this.checkForNewer(); // published again while we opened
    });
  }

  private async refresh(): Promise<void> {
    const old = this.entry;
    try {
      if (readCurrent(old.store.dir)?.name === old.store.snapshot?.name) return;
      const store = await FeatureStore.open({ ...this.options, readOnly: true });
      try {
        await this.options.prepare?.(store);
      } catch (e) {
        await store.close(); // (with its share of a Redis connection)
        throw e;
      }
      if (this.closed) return void (await store.close());
      this.entry = { store, refs: 0, retired: false };
      await retire(old);
      // What a short-lived writer left within its grace: gone once the grace has passed.
      tidySnapshots(old.store.dir);
      setTimeout(() => tidySnapshots(old.store.dir), SNAPSHOT_GRACE_MS + 1000).unref();
    } catch (e) {
      // Keep answering from the snapshot we have; the writer's next publish is tried again.
      this.options.log?.warn(`still reading snapshot ${old.store.snapshot?.name ?? '?'}: the newer one could not be opened (${errorMessage(e)})`);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    while (this.refreshing) await this.refreshing;
    await retire(this.entry);
  }
}

/** No new requests get `entry`; it closes after its last lease ends. */
function retire(entry: Entry): Promise<void> {
  entry.retired = true;
  return closeWhenIdle(entry);
}

async function closeWhenIdle(entry: Entry): Promise<void> {
  if (entry.refs === 0) await entry.store.close();
}
