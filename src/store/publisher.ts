// When a writer publishes read snapshots: soon after its commits (coalesced), and before it closes.
import type { Logger } from '../core/logger.js';
import { errorMessage } from '../core/errors.js';
import { publishSnapshot, readCurrent } from './snapshots.js';
import type { Database } from './db/database.js';

/** `auto`: after commits and at close; `close`: only at close (bulk loads, benchmarks); `off`: never (a store nobody else reads). */
export type PublishPolicy = 'auto' | 'close' | 'off';

/** Quiet time after a commit before publishing, so a burst of commits makes one snapshot... */
const QUIET_MS = 100;
/** ...but never later than this after the first unpublished commit: readers see a commit within a second. */
const MAX_DELAY_MS = 500;

export interface PublisherState {
  writeSeq(): number;
  commit(): number;
  vectorsDir: string;
  /** Writes unsaved vector index changes, so the snapshot links current index files. */
  saveIndexes(): void;
}

export class Publisher {
  private timer: NodeJS.Timeout | undefined;
  private firstDirtyAt: number | undefined;
  private running: Promise<void> = Promise.resolve();
  private published = -1;

  constructor(
    private readonly storeDir: string,
    private readonly db: Database,
    private readonly state: PublisherState,
    private readonly policy: PublishPolicy,
    private readonly log?: Logger,
  ) {}

  /** At open: publishes when nothing was published yet, or a writer that crashed left the snapshot behind the store. */
  async catchUp(): Promise<void> {
    if (this.policy === 'off') return;
    let current;
    try {
      current = readCurrent(this.storeDir);
    } catch {
      current = undefined;
    }
    if (current?.writeSeq === this.state.writeSeq() && current.commit === this.state.commit()) this.published = current.writeSeq;
    else await this.publishNow();
  }

  /** Called after every commit that changed something. */
  noteCommit(): void {
    if (this.policy !== 'auto') return;
    const now = Date.now();
    this.firstDirtyAt ??= now;
    if (this.timer) clearTimeout(this.timer);
    const delay = Math.max(0, Math.min(QUIET_MS, this.firstDirtyAt + MAX_DELAY_MS - now));
    this.timer = setTimeout(() => void this.publishNow().catch((e) => this.log?.warn(`could not publish a read snapshot: ${errorMessage(e)}`)), delay);
    this.timer.unref();
  }

  /** Publishes now if anything changed since the last publish (at close, and from the timer). */
  publishNow(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.firstDirtyAt = undefined;
    this.running = this.running
      .catch(() => undefined)
      .then(async () => {
        if (this.policy === 'off' || this.published === this.state.writeSeq()) return;
        const writeSeq = this.state.writeSeq();
        this.state.saveIndexes();
        await publishSnapshot(this.storeDir, this.db, { writeSeq, commit: this.state.commit(), vectorsDir: this.state.vectorsDir });
        this.published = writeSeq;
      });
    return this.running;
  }
}
