// The commit log: one entry per atomic write, with ingestion time, row counts, validation report and statistics.
import { NotFoundError, ValidationError } from '../core/errors.js';
import type { Database, WriteTx } from './db/database.js';
import type { ValidationReport } from './expectations/schema.js';
import type { Statistics } from './statistics.js';

export type Operation = 'insert' | 'delete' | 'alter';

export interface CommitInfo {
  commitId: number;
  featureGroup: string;
  version: number;
  /** When the commit was made (UTC ISO-8601): the time axis of `asOf`. */
  ingestedAt: string;
  operation: Operation;
  rowsInserted: number;
  rowsUpdated: number;
  rowsDeleted: number;
  /** null when the group has no expectation suite. */
  validationSuccess: boolean | null;
}

export interface CommitDetails extends CommitInfo {
  validation: ValidationReport | null;
  statistics: Statistics | null;
}

/** A point on the commit timeline: a commit id, or an ingestion time (Date or ISO string). */
export type CommitRef = number | string | Date;

/**
 * Hands out commit ids and ingestion times that only ever increase, even if the wall clock steps
 * back. An id is reserved for a transaction, kept when it commits and given back when it rolls back,
 * so several writes in one transaction get consecutive ids.
 */
export class CommitClock {
  private reservedId: number;
  private reservedMs: number;

  private constructor(
    private lastId: number,
    private lastMs: number,
    /** Per group version ("name@version"), its last commit id: caches of answers that read only some groups key on these. */
    private readonly byGroup: Map<string, number>,
  ) {
    this.reservedId = lastId;
    this.reservedMs = lastMs;
  }

  /** The last commit of one group version (0 before its first). */
  groupCommit(name: string, version: number): number {
    return this.byGroup.get(`${name}@${version}`) ?? 0;
  }

  /** Writes the commit's log entry in `tx`; the group's last commit moves when `tx` commits. */
  async record(tx: WriteTx, c: CommitDetails): Promise<void> {
    await recordCommit(tx, c);
    tx.onCommit(() => this.byGroup.set(`${c.featureGroup}@${c.version}`, Math.max(this.groupCommit(c.featureGroup, c.version), c.commitId)));
  }

  /** The last committed id in this process's view (changes whenever any group commits). */
  get committed(): number {
    return this.lastId;
  }

  static async load(db: Database): Promise<CommitClock> {
    // Commit ids and times only grow, so the store's last ones are the largest of the groups' last ones.
    const groups = await db.query('SELECT fg_name, fg_version, max(commit_id) AS id, epoch_ms(max(ingested_at)) AS ms FROM airq_commits GROUP BY ALL');
    const byGroup = new Map(groups.map((g) => [`${String(g.fg_name)}@${Number(g.fg_version)}`, Number(g.id)]));
    return new CommitClock(Math.max(0, ...groups.map((g) => Number(g.id))), Math.max(0, ...groups.map((g) => Number(g.ms))), byGroup);
  }

  /** The next id and time, reserved in `tx`. `release()` gives them back when the write turns out to change nothing. */
  next(tx: WriteTx): { id: number; ingestedAt: string; release: () => void } {
    const previous = { id: this.reservedId, ms: this.reservedMs };
    const id = ++this.reservedId;
    const ms = (this.reservedMs = Math.max(Date.now(), this.reservedMs + 1));
    tx.onCommit(() => {
      this.lastId = Math.max(this.lastId, this.reservedId);
      this.lastMs = Math.max(this.lastMs, this.reservedMs);
    });
    tx.onRollback(() => {
      this.reservedId = this.lastId;
      this.reservedMs = this.lastMs;
    });
    return {
      id,
      ingestedAt: new Date(ms).toISOString(),
      release: () => {
        if (this.reservedId === id) {
          this.reservedId = previous.id;
          this.reservedMs = previous.ms;
        }
      },
    };
  }
}

async function recordCommit(tx: WriteTx, c: CommitDetails): Promise<void> {
  await tx.run(
    `INSERT INTO airq_commits VALUES ($1, $2, $3, $4::TIMESTAMP, $5, $6, $7, $8, $9, $10, $11)`,
    [
      c.commitId,
      c.featureGroup,
      c.version,
      c.ingestedAt,
      c.operation,
      c.rowsInserted,
      c.rowsUpdated,
      c.rowsDeleted,
      c.validationSuccess,
      c.validation === null ? null : JSON.stringify(c.validation),
      c.statistics === null ? null : JSON.stringify(c.statistics),
    ].map((v) => (typeof v === 'number' ? BigInt(v) : v)),
  );
}

const INFO_COLUMNS = `commit_id, fg_name, fg_version, ingested_at, operation, rows_inserted, rows_updated,
  rows_deleted, validation_success`;

function infoFromRow(r: Record<string, unknown>): CommitInfo {
  return {
    commitId: Number(r.commit_id),
    featureGroup: String(r.fg_name),
    version: Number(r.fg_version),
    ingestedAt: String(r.ingested_at),
    operation: r.operation as Operation,
    rowsInserted: Number(r.rows_inserted),
    rowsUpdated: Number(r.rows_updated),
    rowsDeleted: Number(r.rows_deleted),
    validationSuccess: r.validation_success === null ? null : Boolean(r.validation_success),
  };
}

/** Newest first. */
export async function listCommits(db: Database, name: string, version: number, limit = 1000): Promise<CommitInfo[]> {
  const rows = await db.query(
    `SELECT ${INFO_COLUMNS} FROM airq_commits WHERE fg_name = $1 AND fg_version = $2
     ORDER BY commit_id DESC LIMIT $3`,
    [name, version, limit],
  );
  return rows.map(infoFromRow);
}

export async function getCommit(db: Database, name: string, version: number, id: number): Promise<CommitDetails> {
  const [r] = await db.query(
    `SELECT ${INFO_COLUMNS}, validation, statistics FROM airq_commits
     WHERE fg_name = $1 AND fg_version = $2 AND commit_id = $3`,
    [name, version, id],
  );
  if (!r) throw new NotFoundError(`${name} v${version} has no commit ${id}; list them with fg.commits()`);
  return {
    ...infoFromRow(r),
    validation: r.validation === null ? null : (JSON.parse(String(r.validation)) as ValidationReport),
    statistics: r.statistics === null ? null : (JSON.parse(String(r.statistics)) as Statistics),
  };
}

/**
 * The commit id that a reference stands for: an id is checked to exist in the store; a time maps to
 * the last commit made at or before it (0 when there was none: the state before any write).
 */
export async function resolveCommitRef(db: Database, ref: CommitRef): Promise<number> {
  if (typeof ref === 'number') {
    if (!Number.isSafeInteger(ref) || ref < 0) {
      throw new ValidationError(`a commit id is a whole number >= 0, got ${ref}`);
    }
    if (ref === 0) return 0;
    const [r] = await db.query('SELECT count(*) AS n FROM airq_commits WHERE commit_id = $1', [BigInt(ref)]);
    if (Number(r?.n) === 0) throw new NotFoundError(`there is no commit ${ref} in this store`);
    return ref;
  }
  const ms = ref instanceof Date ? ref.getTime() : Date.parse(ref);
  if (Number.isNaN(ms)) {
    throw new ValidationError(`asOf takes a commit id or an ISO-8601 time, got ${JSON.stringify(ref)}`);
  }
  const [r] = await db.query('SELECT coalesce(max(commit_id), 0) AS id FROM airq_commits WHERE ingested_at <= $1::TIMESTAMP', [new Date(ms).toISOString()]);
  return Number(r?.id ?? 0);
}
