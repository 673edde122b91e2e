// A reader's part in applying the store's queue: after it queues rows, it applies them itself when no writer holds the store.
import { BusyError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { FeatureStore } from './feature-store.js';
import { queuedFiles } from './spool.js';

/** Tries again after these delays while a writer holds the store; that writer applies the queue when it closes anyway. */
const RETRY_MS = [200, 2_000, 10_000, 30_000];

/**
 * Applies the queue of the store in `dir` if no other process writes it (opening it for writing
 * applies the queue, closing publishes the result). Returns false when another writer holds it.
 */
export async function applyQueueNow(dir: string, log?: Logger): Promise<boolean> {
  if (queuedFiles(dir).length === 0) return true;
  try {
    const store = await FeatureStore.open({ dir, wait: { waitMs: 0, command: 'airq (applying queued traces)' }, log });
    await store.close();
    return true;
  } catch (e) {
    if (e instanceof BusyError) return false;
    throw e;
  }
}

export class QueueFlusher {
  private timer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly log?: Logger,
  ) {}

  /** Call after queuing: an attempt soon, and a few more while the store is busy. */
  queued(): void {
    this.attempt = 0;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    const delay = RETRY_MS[this.attempt];
    if (delay === undefined) return; // the store's writer applies it when it closes
    this.timer = setTimeout(() => void this.retry(), delay);
    this.timer.unref();
  }

  private async retry(): Promise<void> {
    if (await this.tryNow()) return;
    this.attempt++;
    this.schedule();
  }

  /** One attempt now (after any in progress); true when the queue is applied or empty. */
  tryNow(): Promise<boolean> {
    const result = this.running.then(() =>
      applyQueueNow(this.dir, this.log).catch((e: unknown) => {
        this.log?.warn(`queued rows stay queued for the store's next writer: ${errorMessage(e)}`);
        return false;
      }),
    );
    this.running = result.then(() => undefined);
    return result;
  }

  /** Stops retrying; what is queued stays queued for the store's next writer. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** At exit: stop retrying and make a last attempt. */
  async close(): Promise<boolean> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    return this.tryNow();
  }
}
