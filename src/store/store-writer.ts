// What the one writer of a store does besides writing: counts its writes, publishes read snapshots, applies the queue.
import { errorMessage } from '../core/errors.js';
import { writeWriteSeq } from './catalog.js';
import type { FeatureGroup } from './feature-group.js';
import type { StoreParts } from './open-store.js';
import { Publisher } from './publisher.js';
import { applyQueue } from './spool.js';
import { CLOSE_GRACE_MS, tidySnapshots } from './snapshots.js';
import type { FeatureGroupSpecInput, InputRow } from './types.js';

export class StoreWriter {
  readonly publisher: Publisher;
  private writeSeq: number;

  constructor(
    private readonly parts: StoreParts,
    private readonly groups: () => FeatureGroup[],
    private readonly insert: (spec: FeatureGroupSpecInput, rows: InputRow[]) => Promise<void>,
  ) {
    this.writeSeq = parts.writeSeq;
    this.publisher = new Publisher(
      parts.dir,
      parts.db,
      {
        writeSeq: () => this.writeSeq,
        commit: () => parts.commitClock.committed,
        vectorsDir: parts.vectorsDir,
        saveIndexes: () => this.saveIndexes(),
      },
      parts.publish,
      parts.log,
    );
  }

  private saveIndexes(): void {
    for (const g of this.groups()) g.saveIndexes();
  }

  /** At open: count every write from now on, apply what readers queued, and publish if readers are behind. */
  async start(): Promise<void> {
    let changed = false;
    this.parts.db.hooks = {
      beforeCommit: async (tx) => {
        changed = tx.changed;
        if (!changed) return;
        const next = this.writeSeq + 1;
        await writeWriteSeq(tx, next);
        tx.onCommit(() => (this.writeSeq = next));
      },
      afterCommit: () => {
        if (changed) this.publisher.noteCommit();
      },
    };
    await this.applyQueue();
    await this.publisher.catchUp();
  }

  private async applyQueue(): Promise<void> {
    const r = await applyQueue(this.parts.dir, (spec, rows) => this.insert(spec, rows), this.parts.log);
    if (r.applied > 0) this.parts.log?.debug(`applied ${r.applied} queued insert(s) from readers`);
  }

  /** Before close: the queue once more, unsaved index changes, and a last snapshot. Failures are reported, not thrown: the data is committed. */
  async finish(): Promise<void> {
    try {
      await this.applyQueue();
    } catch (e) {
      this.parts.log?.warn(`queued inserts stay queued for the next writer: ${errorMessage(e)}`);
    }
    try {
      await this.publisher.publishNow();
    } catch (e) {
      this.parts.log?.warn(`could not publish a read snapshot (readers keep the previous one): ${errorMessage(e)}`);
    }
    tidySnapshots(this.parts.dir, CLOSE_GRACE_MS);
    this.saveIndexes();
  }
}
