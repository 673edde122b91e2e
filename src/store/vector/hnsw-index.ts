// The HNSW index of one embedding column: derived from the offline table, persisted beside it with a watermark.
//
// The offline table is the truth. The index file records the last commit it reflects (the
// watermark); sync() applies every commit after it — new current rows are added or replace their
// label, rows no longer current are marked deleted — so an index that missed commits (a crash
// between the table commit and the index write, or a process that never saved) catches up from
// the table on the next use. A missing or unreadable file is rebuilt from scratch, and so is an
// index whose deleted fraction passes REBUILD_DELETED_FRACTION (hnswlib only marks deletes).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import hnswlib from 'hnswlib-node';
import type { Database } from '../db/database.js';
import { ident } from '../db/values.js';
import { onlineKey } from '../online-store.js';
import type { FeatureGroupMeta, FeatureValue } from '../types.js';
import type { EmbeddingIndexSpec } from './spec.js';

const { HierarchicalNSW } = hnswlib;
type Hnsw = InstanceType<typeof HierarchicalNSW>;

export const REBUILD_DELETED_FRACTION = 0.3;

interface Sidecar {
  format: 'airq-hnsw-1';
  /** The index file this sidecar belongs to (a new one per save: the sidecar's rename is the commit point). */
  indexFile: string;
  watermark: number;
  dim: number;
  metric: string;
  /** label -> primary-key values (null for a free label). */
  keys: (FeatureValue[] | null)[];
  deleted: number;
}

export interface IndexFiles {
  /** The sidecar JSON; index files are written beside it. */
  sidecar: string;
  /** A reader's copy (a snapshot's): never cleaned up or written. */
  readOnly?: boolean;
}

export class HnswIndex {
  private hnsw: Hnsw;
  private keys: (FeatureValue[] | null)[] = [];
  private byKey = new Map<string, number>();
  private deleted = 0;
  private capacity = 0;
  watermark = 0;
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

  /** Loads the index from its files (or starts empty when they are missing or damaged); call sync() next. */
  static load(meta: FeatureGroupMeta, spec: EmbeddingIndexSpec, dim: number, files: IndexFiles): HnswIndex {
    const ix = new HnswIndex(meta, spec, dim, files);
    try {
      if (!existsSync(files.sidecar)) throw new Error('no index files');
      const side = JSON.parse(readFileSync(files.sidecar, 'utf8')) as Sidecar;
      if (side.format !== 'airq-hnsw-1' || side.dim !== dim || side.metric !== spec.metric) throw new Error('index files of another layout');
      ix.hnsw.readIndexSync(join(dirname(files.sidecar), side.indexFile), true);
      ix.indexFile = side.indexFile;
      if (!files.readOnly) HnswIndex.removeOrphans(files, side.indexFile);
      if (ix.hnsw.getNumDimensions() !== dim) throw new Error('index of another dimension');
      ix.keys = side.keys;
      ix.keys.forEach((k, label) => k && ix.byKey.set(onlineKey(k), label));
      ix.deleted = side.deleted;
      ix.capacity = ix.hnsw.getMaxElements();
      ix.watermark = side.watermark;
    } catch {
      ix.reset(1024);
    }
    ix.hnsw.setEf(spec.ef); // hnswlib resets ef to 10 on every load
    return ix;
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

  /** Applies every commit of the group after the watermark; rebuilds when too much is deleted. Returns the rows applied. */
  async sync(db: Database, latestCommit: number): Promise<number> {
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
    this.dirty = true;
    return gone.length + fresh.length;
  }

  /** The k nearest live points: primary-key values and distances, nearest first. */
  search(vector: readonly number[], k: number, ef?: number): { key: FeatureValue[]; distance: number }[] {
    const n = Math.min(k, this.byKey.size);
    if (n === 0) return [];
    this.hnsw.setEf(Math.max(ef ?? this.spec.ef, n));
    const r = this.hnsw.searchKnn(vector as number[], n);
    return r.neighbors.map((label, i) => ({ key: this.keys[label]!, distance: r.distances[i]! }));
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
    this.hnsw.writeIndexSync(join(dir, indexFile));
    const side: Sidecar = {
      format: 'airq-hnsw-1',
      indexFile,
      watermark: this.watermark,
      dim: this.dim,
      metric: this.spec.metric,
      keys: this.keys,
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
