// The HNSW index of one embedding column: derived from the offline table, persisted beside it with a watermark.
//
// The offline table is the truth. The index file records the last commit it reflects (the
// watermark); sync() applies every commit after it — new current rows are added or replace their
// label, rows no longer current are marked deleted — so an index that missed commits (a crash
// between the table commit and the index write, or a process that never saved) catches up from
// the table on the next use. It is rebuilt from scratch, with a warning, when its files cannot be
// trusted: missing or unreadable, a sidecar that disagrees with its index file or its own checksums
// (see sidecar.ts), or a watermark commit that the store's commit log does not have as it was (the
// store file was restored from an older copy). It is also rebuilt when its deleted fraction passes
// REBUILD_DELETED_FRACTION (hnswlib only marks deletes).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Database } from '../db/database.js';
import { ident } from '../db/values.js';
import { onlineKey } from '../online/memory-table.js';
import type { FeatureGroupMeta, FeatureValue } from '../types.js';
import { fileSha256, keysHash, SIDECAR_FORMAT, sidecarProblem, SidecarSchema, type Sidecar } from './sidecar.js';
import type { EmbeddingIndexSpec } from './spec.js';

const { HierarchicalNSW } = hnswlib;
type Hnsw = InstanceType<typeof HierarchicalNSW>;

export const REBUILD_DELETED_FRACTION = 0.3;

export interface IndexFiles {
  /** The sidecar JSON; index files are written beside it. */
  sidecar: string;
  /** A reader's copy (a snapshot's): never cleaned up or written. */
  readOnly?: boolean;
  /** Where a rebuild of files that could not be trusted is reported (a warning). */
  log?: Logger;
}

/** The group's last commit: its id and ingestion time (epoch ms), which together name it even across a restore. */
export interface HeadCommit {
  id: number;
  at: number;
}

export class HnswIndex {
  private hnsw: Hnsw;
  private keys: (FeatureValue[] | null)[] = [];
  private byKey = new Map<string, number>();
  private deleted = 0;
  private capacity = 0;
  watermark = 0;
  /** The watermark commit's ingestion time (epoch ms): a commit of that id with another time is another history. */
  private watermarkAt = 0;
  /** Set once the watermark was checked against the store's commit log (the first sync after load). */
  private historyChecked = false;
  /** Set when the in-memory index has changes the files do not have yet. */
  dirty = false;
  private indexFile: string | undefined;

  private constructor(
    private readonly meta: FeatureGroupMeta,
    private readonly spec: EmbeddingIndexSpec,
    readonly dim: number,
    private readonly files: IndexFiles,
  ) {
    this.hnsw = new HierarchicalNSW(spec.metric, dim);
  }

  /** Loads the index from its files (or starts empty when they are missing or cannot be trusted); call sync() next. */
  static load(meta: FeatureGroupMeta, spec: EmbeddingIndexSpec, dim: number, files: IndexFiles): HnswIndex {
    const ix = new HnswIndex(meta, spec, dim, files);
    if (existsSync(files.sidecar)) {
      let problem: string | undefined;
      try {
        problem = ix.readFiles();
      } catch (e) {
        problem = `its index file cannot be read (${errorMessage(e)})`;
      }
      if (problem !== undefined) {
        ix.rebuildBecause(problem);
        ix.historyChecked = true; // nothing left to check: it starts from commit 0
      }
    } else ix.reset(1024);
    ix.hnsw.setEf(spec.ef); // hnswlib resets ef to 10 on every load
    return ix;
  }

  /** Reads the sidecar and the index file it names; returns why they cannot be trusted, if they cannot. */
  private readFiles(): string | undefined {
    let side: Sidecar;
    try {
      const raw = JSON.parse(readFileSync(this.files.sidecar, 'utf8')) as { format?: unknown };
      if (raw?.format === 'airq-hnsw-1') return 'it was written by an older airq, without checksums';
      const parsed = SidecarSchema.safeParse(raw);
      if (!parsed.success)
        return `its sidecar is not a valid ${SIDECAR_FORMAT} file (${parsed.error.issues[0]?.path.join('.') || 'root'}: ${parsed.error.issues[0]?.message})`;
      side = parsed.data;
    } catch (e) {
      return `its sidecar cannot be read (${errorMessage(e)})`;
    }
    const indexPath = join(dirname(this.files.sidecar), side.indexFile);
    const problem = sidecarProblem(side, indexPath, { dim: this.dim, metric: this.spec.metric, model: this.spec.model });
    if (problem) return problem;
    this.hnsw.readIndexSync(indexPath, true);
    this.indexFile = side.indexFile;
    if (!this.files.readOnly) HnswIndex.removeOrphans(this.files, side.indexFile);
    if (this.hnsw.getNumDimensions() !== this.dim) return `its index file holds vectors of ${this.hnsw.getNumDimensions()}, the column ${this.dim}`;
    if (this.hnsw.getCurrentCount() !== side.keys.length)
      return `its index file has ${this.hnsw.getCurrentCount()} points, the sidecar ${side.keys.length} keys`;
    this.keys = side.keys;
    this.keys.forEach((k, label) => k && this.byKey.set(onlineKey(k), label));
    if (this.byKey.size !== side.live) return `its key list names a key twice (${side.live} live labels, ${this.byKey.size} keys)`;
    this.deleted = side.deleted;
    this.capacity = this.hnsw.getMaxElements();
    this.watermark = side.watermark;
    this.watermarkAt = side.watermarkAt;
    return undefined;
  }

  /** Says why, then starts empty: the next sync rebuilds from every commit. */
  private rebuildBecause(problem: string): void {
    const m = this.meta;
    this.files.log?.warn(`the vector index of ${m.name} v${m.version}.${this.spec.column} (${this.files.sidecar}) is rebuilt from its table: ${problem}`);
    this.reset(1024);
  }

  private reset(capacity: number): void {
    this.hnsw = new HierarchicalNSW(this.spec.metric, this.dim);
    this.hnsw.initIndex({ maxElements: capacity, m: this.spec.m, efConstruction: this.spec.efConstruction, randomSeed: 100, allowReplaceDeleted: true });
    this.hnsw.setEf(this.spec.ef);
    this.capacity = capacity;
    this.keys = [];
    this.byKey.clear();
    this.deleted = 0;
    this.watermark = 0;
    this.watermarkAt = 0;
    this.dirty = true;
  }

  get size(): number {
    return this.byKey.size;
  }

  private ensureCapacity(extra: number): void {
    const need = this.keys.length + extra;
    if (need <= this.capacity) return;
    this.capacity = Math.max(need, this.capacity * 2);
    this.hnsw.resizeIndex(this.capacity);
  }

  private upsert(key: FeatureValue[], vector: number[]): void {
    const k = onlineKey(key);
    const existing = this.byKey.get(k);
    if (existing !== undefined) {
      this.hnsw.addPoint(vector, existing); // hnswlib updates a live label in place
      return;
    }
    this.ensureCapacity(1);
    const label = this.keys.length;
    this.keys.push(key);
    this.byKey.set(k, label);
    this.hnsw.addPoint(vector, label);
  }

  private remove(key: FeatureValue[]): void {
    const k = onlineKey(key);
    const label = this.byKey.get(k);
    if (label === undefined) return;
    this.hnsw.markDelete(label);
    this.byKey.delete(k);
    this.keys[label] = null;
    this.deleted++;
  }

  /**
   * Why the watermark is not a commit of the store's history (undefined when it is): the group's last commit is
   * behind it, or the commit of its id is not the one the index saw (a store file restored from an older copy).
   */
  private async historyProblem(db: Database, head: HeadCommit): Promise<string | undefined> {
    if (this.watermark === 0) return undefined;
    const restored = 'the store file was restored from an older copy or replaced';
    if (head.id < this.watermark) return `it reflects commit ${this.watermark}, but the group's last commit is ${head.id} (${restored})`;
    const [r] = await this.commitTime(db, this.watermark);
    if (r === undefined || Number(r.at) !== this.watermarkAt)
      return `the commit ${this.watermark} it reflects is not in the store's commit log as it was (${restored})`;
    return undefined;
  }

  private commitTime(db: Database, id: number) {
    return db.query('SELECT epoch_ms(ingested_at) AS at FROM airq_commits WHERE commit_id = $1 AND fg_name = $2 AND fg_version = $3', [
      id,
      this.meta.name,
      this.meta.version,
    ]);
  }

  /** Applies every commit of the group after the watermark; rebuilds when too much is deleted. Returns the rows applied. */
  async sync(db: Database, head: HeadCommit): Promise<number> {
    if (!this.historyChecked) {
      const problem = await this.historyProblem(db, head);
      this.historyChecked = true;
      if (problem !== undefined) this.rebuildBecause(problem);
    }
    const latestCommit = head.id;
    if (latestCommit <= this.watermark) return 0;
    if (this.deleted > 0 && this.deleted / Math.max(1, this.keys.length) > REBUILD_DELETED_FRACTION) this.reset(Math.max(1024, this.byKey.size));
    const pk = this.meta.primaryKey;
    const t = ident(this.meta.table);
    const keyCols = pk.map((c) => `t.${ident(c)}`).join(', ');
    const col = ident(this.spec.column);
    const w = this.watermark;
    // Keys whose current row ended after the watermark and that have no current row now: deleted.
    const gone = await db.query(
      `SELECT DISTINCT ${keyCols} FROM ${t} t WHERE t._valid_to > ${w} AND t._valid_to <= ${latestCommit}
       AND NOT EXISTS (SELECT 1 FROM ${t} c WHERE c._valid_to IS NULL AND ${pk.map((c) => `c.${ident(c)} IS NOT DISTINCT FROM t.${ident(c)}`).join(' AND ')})`,
    );
    for (const r of gone) this.remove(pk.map((c) => r[c] as FeatureValue));
    // Current rows written after the watermark: added, or replacing their key's point. With an
    // event time only the latest row per key is indexed (the online view).
    const latest = this.meta.eventTime ? `QUALIFY row_number() OVER (PARTITION BY ${keyCols} ORDER BY t.${ident(this.meta.eventTime)} DESC) = 1` : '';
    const fresh = await db.query(
      `SELECT * FROM (SELECT ${keyCols}, t.${col} AS _vec, t._commit_id AS _cid FROM ${t} t WHERE t._valid_to IS NULL ${latest}) WHERE _cid > ${w} AND _cid <= ${latestCommit}`,
    );
    this.ensureCapacity(fresh.length);
    for (const r of fresh) {
      const key = pk.map((c) => r[c] as FeatureValue);
      if (r._vec === null) this.remove(key);
      else this.upsert(key, r._vec as number[]);
    }
    this.watermark = latestCommit;
    this.watermarkAt = head.at;
    this.dirty = true;
    return gone.length + fresh.length;
  }

  /** The k nearest live points: primary-key values and distances, nearest first. */
  search(vector: readonly number[], k: number, ef?: number): { key: FeatureValue[]; distance: number }[] {
    const n = Math.min(k, this.byKey.size);
    if (n === 0) return [];
    this.hnsw.setEf(Math.max(ef ?? this.spec.ef, n));
    const r = this.hnsw.searchKnn(vector as number[], n);
    const out: { key: FeatureValue[]; distance: number }[] = [];
    r.neighbors.forEach((label, i) => {
      const key = this.keys[label];
      if (key) out.push({ key, distance: r.distances[i]! });
    });
    return out;
  }

  /**
   * Writes a new index file, then switches the sidecar to it with an atomic rename, then removes the
   * old file: a crash at any point leaves a sidecar that names a complete index file.
   */
  save(): void {
    if (!this.dirty || this.files.readOnly) return;
    const dir = dirname(this.files.sidecar);
    mkdirSync(dir, { recursive: true });
    const indexFile = `${basename(this.files.sidecar, '.json')}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.hnsw`;
    const indexPath = join(dir, indexFile);
    this.hnsw.writeIndexSync(indexPath);
    const side: Sidecar = {
      format: SIDECAR_FORMAT,
      indexFile,
      indexBytes: statSync(indexPath).size,
      indexSha256: fileSha256(indexPath),
      watermark: this.watermark,
      watermarkAt: this.watermarkAt,
      dim: this.dim,
      metric: this.spec.metric,
      model: this.spec.model ?? null,
      keys: this.keys,
      keysSha256: keysHash(this.keys),
      live: this.byKey.size,
      deleted: this.deleted,
    };
    writeFileSync(`${this.files.sidecar}.tmp`, JSON.stringify(side));
    renameSync(`${this.files.sidecar}.tmp`, this.files.sidecar);
    if (this.indexFile) rmSync(join(dir, this.indexFile), { force: true });
    this.indexFile = indexFile;
    this.dirty = false;
  }

  /** Index files a save wrote but never switched to (it was interrupted before the sidecar's rename). */
  private static removeOrphans(files: IndexFiles, current: string): void {
    const dir = dirname(files.sidecar);
    const base = basename(files.sidecar, '.json');
    for (const f of readdirSync(dir)) if (f !== current && f.startsWith(`${base}.`) && f.endsWith('.hnsw')) rmSync(join(dir, f), { force: true });
  }
}
