// The FeatureStore facade: opens one directory and hands out feature groups. Thin on purpose.
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import { parseOrThrow } from '../core/validate.js';
import { createGroupTable, insertGroupMeta, listGroupMetas } from './catalog.js';
import type { Database } from './db/database.js';
import { FeatureGroup } from './feature-group.js';
import { FeatureGroupSpecSchema, tableNameFor, type FeatureGroupMeta, type FeatureGroupSpecInput, type InputRow } from './types.js';
import { assertDefinitionFitsSchema, definitionDifferences } from './write/definition-check.js';
import { queryFromJson } from './query/query-json.js';
import { insertView, listViews, type StoredView } from './views/catalog.js';
import { conflict, defineView, viewDifferences, type FeatureViewSpecInput } from './views/define-view.js';
import { FeatureView } from './views/feature-view.js';
import { TransformationRegistry, type Transformation } from './views/transformations.js';
import { collectLineageFacts, lineageAround, lineageId, lineageLines, type LineageFacts, type LineageGraph } from './lineage.js';
import { ModelRegistry } from './registry/registry.js';
import type { ModelMeta } from './registry/schema.js';
import { openParts, type OpenOptions, type StoreParts } from './open-store.js';
import type { Current } from './snapshots.js';
import { queueRows } from './spool.js';
import { StoreWriter } from './store-writer.js';
import { makeStoreTemp } from './temp-files.js';
import { attachOnline, connectOnline, onlineConfigOf, warnIfRedisReaders, type OnlineParts } from './online/open-online.js';
import type { SyncResult } from './online/redis-sync.js';
import { onlineInfo, syncAtOpen, syncNow, watermarksOf, type OnlineStoreInfo, type Watermark } from './online/store-online.js';

/** A node to draw lineage around. */
export type LineageRef =
  | { kind: 'source'; name: string }
  | { kind: 'featureGroup' | 'featureView' | 'model'; name: string; version?: number }
  | { kind: 'trainingDataset'; featureView: string; featureViewVersion: number; version: number };

export { DB_FILE, type OpenOptions } from './open-store.js';

const key = (name: string, version: number) => `${name}@${version}`;

export class FeatureStore {
  private readonly groups = new Map<string, FeatureGroup>();
  private readonly views = new Map<string, FeatureView>();
  private readonly transformations = new TransformationRegistry();
  /** The model registry of this store (artifacts live under models/ in the store directory). */
  readonly registry: ModelRegistry;
  /** The directory that holds the store. */
  readonly dir: string;
  private readonly db: Database;
  /** The writer's duties (counting writes, publishing snapshots, the queue); none for a read-only store. */
  private readonly writer: StoreWriter | undefined;

  private constructor(
    private readonly parts: StoreParts,
    /** The Redis online store (and the writer's sync to it), when the store uses one; else each group's table in memory. */
    private readonly online?: OnlineParts,
  ) {
    this.dir = parts.dir;
    this.db = parts.db;
    this.registry = new ModelRegistry({
      db: parts.db,
      storeDir: parts.dir,
      featureView: (n, v) => this.getFeatureView(n, v),
      lineageOf: async (n, v, pending) => lineageLines(lineageAround(await this.lineageFacts(pending), lineageId.model(n, v))),
    });
    const insert = (spec: FeatureGroupSpecInput, rows: InputRow[]) => this.insertNow(spec, rows);
    this.writer = parts.db.readOnly ? undefined : new StoreWriter(parts, () => this.listFeatureGroups(), insert);
  }

  /**
   * Opens the store in `dir`. For writing (the default) this process becomes the store's one writer
   * (waiting up to `wait.waitMs` for another); with `readOnly` it opens the latest read snapshot,
   * which any number of processes can do while one writes.
   */
  static async open(options: OpenOptions): Promise<FeatureStore> {
    const handle = await connectOnline(onlineConfigOf(options.online));
    const parts = await openParts(options).catch(async (e: unknown) => {
      await handle?.release();
      throw e;
    });
    try {
      // Called only once the store exists (by the writer's syncs to Redis).
      const groups = () => store.listFeatureGroups().map((g) => g.meta);
      const store: FeatureStore = new FeatureStore(parts, handle && attachOnline(handle, parts, groups));
      if (!handle) warnIfRedisReaders(parts);
      for (const meta of await listGroupMetas(parts.db)) store.remember(meta);
      for (const view of await listViews(parts.db)) store.rememberView(view);
      await store.registry.load();
      await store.writer?.start();
      if (store.online) store.onlineSyncedAtOpen = await syncAtOpen(store.online, groups, () => store.publish(), parts.log);
      return store;
    } catch (e) {
      await parts.db.close();
      await handle?.release();
      throw e;
    }
  }

  /** What the writer's open wrote to Redis to bring it up to each group's last commit (empty without Redis). */
  onlineSyncedAtOpen: readonly SyncResult[] = [];

  /** Which online store serves lookups: `memory` (each process's own tables) or `redis` (shared by every process). */
  get onlineStore(): OnlineStoreInfo {
    return onlineInfo(this.online);
  }

  /**
   * The writer brings Redis up to each online group's last commit (only the keys changed since Redis's watermark, or
   * all of them with `full`). Done at every writer's open and after every commit; this is for doing it on demand.
   */
  syncOnline(options: { full?: boolean } = {}): Promise<SyncResult[]> {
    return syncNow(this.online, this.db, () => this.listFeatureGroups().map((g) => g.meta), options, this.parts.log);
  }

  /** Each online group's last commit and the commit its rows in Redis reflect (undefined: not synced); empty with memory. */
  onlineWatermarks(): Promise<Watermark[]> {
    return watermarksOf(this.online, this.listFeatureGroups());
  }

  /** True when this process opened a read snapshot rather than the store itself. */
  get readOnly(): boolean {
    return this.db.readOnly;
  }

  /** The snapshot a read-only store reads (undefined for the writer). */
  get snapshot(): Current | undefined {
    return this.parts.snapshot;
  }

  /**
   * A new empty directory for temporary files, inside the store (<store>/.tmp/), never the system temp
   * directory. Remove it when done; after this process ends, the next writer's open removes what is left.
   */
  makeTempDir(purpose: string): string {
    return makeStoreTemp(this.dir, purpose);
  }

  private remember(meta: FeatureGroupMeta): FeatureGroup {
    const fg = new FeatureGroup(
      {
        db: this.db,
        commitClock: this.parts.commitClock,
        vectorsDir: this.parts.vectorsDir,
        log: this.parts.log,
        remote: this.online?.remote,
        onlineSync: this.online?.sync,
      },
      meta,
      this.parts.clock,
    );
    this.groups.set(key(meta.name, meta.version), fg);
    return fg;
  }

  /**
   * The group with this name and version: created if new, returned as is if the definition matches,
   * a ConflictError naming every difference if it does not (a breaking change needs a new version).
   * An existing group keeps its stored expectation suite; change it with fg.setExpectationSuite.
   */
  async getOrCreateFeatureGroup(input: FeatureGroupSpecInput): Promise<FeatureGroup> {
    const spec = parseOrThrow(FeatureGroupSpecSchema, input, 'feature group definition');
    const existing = this.groups.get(key(spec.name, spec.version));
    if (existing) {
      const diffs = definitionDifferences(existing.meta, spec);
      if (diffs.length > 0) {
        throw new ConflictError(
          `feature group ${spec.name} v${spec.version} already exists with a different definition: ${diffs.join('; ')}. ` +
            `Create version ${this.nextVersion(spec.name)} for a breaking change.`,
          { differences: diffs },
        );
      }
      if (existing.meta.schema === null && spec.schema !== undefined) await existing.defineSchema(spec.schema);
      return existing;
    }
    const meta: FeatureGroupMeta = {
      name: spec.name,
      version: spec.version,
      description: spec.description,
      source: spec.source,
      primaryKey: spec.primaryKey,
      eventTime: spec.eventTime,
      onlineEnabled: spec.onlineEnabled,
      expectations: spec.expectations,
      ttl: spec.ttl,
      schema: spec.schema ?? null,
      embeddingIndex: spec.embeddingIndex,
      createdAt: new Date().toISOString(),
      table: tableNameFor(spec.name, spec.version),
    };
    if (meta.schema !== null) assertDefinitionFitsSchema(meta, meta.schema);
    else if (meta.embeddingIndex)
      throw new ValidationError(`feature group ${spec.name}: an embeddingIndex needs an explicit schema (with the vector columns and their dim)`);
    if (meta.ttl !== undefined && meta.eventTime === undefined) {
      throw new ConflictError(`feature group ${spec.name}: a ttl needs an eventTime to measure age from`);
    }
    await this.db.write(async (tx) => {
      await insertGroupMeta(tx, meta);
      if (meta.schema !== null) await createGroupTable(tx, meta);
    });
    return this.remember(meta);
  }

  /** The group `name` at `version`, or its latest version. */
  getFeatureGroup(name: string, version?: number): FeatureGroup {
    const versions = this.versionsOf(name);
    if (versions.length === 0) {
      const names = [...new Set([...this.groups.values()].map((g) => g.name))].sort();
      throw new NotFoundError(`no feature group named "${name}"${names.length ? `; the store has: ${names.join(', ')}` : '; the store is empty'}`);
    }
    const v = version ?? versions[versions.length - 1]!;
    const fg = this.groups.get(key(name, v));
    if (!fg) throw new NotFoundError(`feature group ${name} has no version ${v}; versions: ${versions.join(', ')}`);
    return fg;
  }

  /** Every group version, sorted by name then version. */
  listFeatureGroups(): FeatureGroup[] {
    return [...this.groups.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version);
  }

  private versionsOf(name: string): number[] {
    return [...this.groups.values()]
      .filter((g) => g.name === name)
      .map((g) => g.version)
      .sort((a, b) => a - b);
  }

  private nextVersion(name: string): number {
    const v = this.versionsOf(name);
    return (v[v.length - 1] ?? 0) + 1;
  }

  // ---- feature views ---------------------------------------------------------------------------

  private rememberView(v: StoredView): FeatureView {
    const source = {
      db: this.db,
      name: v.name,
      version: v.version,
      definition: v.definition,
      registry: this.transformations,
      query: () => queryFromJson(v.definition.query, (n, ver) => this.getFeatureGroup(n, ver).selectAll()),
    };
    const view = new FeatureView(source, v.createdAt, (n, ver) => this.getFeatureGroup(n, ver));
    this.views.set(key(v.name, v.version), view);
    return view;
  }

  /** The view with this name and version: created if new (metadata only), returned if identical, else a ConflictError. */
  async getOrCreateFeatureView(input: FeatureViewSpecInput): Promise<FeatureView> {
    const { name, version, definition } = await defineView(input, this.transformations);
    const existing = this.views.get(key(name, version));
    if (existing) {
      const diffs = viewDifferences(existing.definition, definition);
      if (diffs.length > 0) throw conflict(name, version, diffs, this.viewVersionsOf(name).at(-1)! + 1);
      return existing;
    }
    const stored: StoredView = { name, version, definition, createdAt: new Date().toISOString() };
    await this.db.write((tx) => insertView(tx, stored));
    return this.rememberView(stored);
  }

  getFeatureView(name: string, version?: number): FeatureView {
    const versions = this.viewVersionsOf(name);
    if (versions.length === 0) {
      const names = [...new Set([...this.views.values()].map((v) => v.name))].sort();
      throw new NotFoundError(`no feature view named "${name}"${names.length ? `; the store has: ${names.join(', ')}` : ''}`);
    }
    const v = version ?? versions.at(-1)!;
    const view = this.views.get(key(name, v));
    if (!view) throw new NotFoundError(`feature view ${name} has no version ${v}; versions: ${versions.join(', ')}`);
    return view;
  }

  listFeatureViews(): FeatureView[] {
    return [...this.views.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version);
  }

  private viewVersionsOf(name: string): number[] {
    return [...this.views.values()]
      .filter((v) => v.name === name)
      .map((v) => v.version)
      .sort((a, b) => a - b);
  }

  /** Makes a user-defined transformation available to feature views (register it in every process that serves). */
  registerTransformation(name: string, transformation: Transformation): void {
    this.transformations.register(name, transformation);
  }

  // ---- lineage -----------------------------------------------------------------------------------

  private lineageFacts(pending?: ModelMeta): Promise<LineageFacts> {
    return collectLineageFacts(this.listFeatureGroups(), this.listFeatureViews(), [...this.registry.list().map((m) => m.meta), ...(pending ? [pending] : [])]);
  }

  /** The lineage graph around a node: everything it came from and everything made from it. */
  async lineage(ref: LineageRef): Promise<LineageGraph> {
    let id: string;
    if (ref.kind === 'source') id = lineageId.source(ref.name);
    else if (ref.kind === 'trainingDataset') id = lineageId.trainingDataset(ref.featureView, ref.featureViewVersion, ref.version);
    else if (ref.kind === 'featureGroup') id = lineageId.featureGroup(ref.name, this.getFeatureGroup(ref.name, ref.version).version);
    else if (ref.kind === 'featureView') id = lineageId.featureView(ref.name, this.getFeatureView(ref.name, ref.version).version);
    else id = lineageId.model(ref.name, this.registry.getModel(ref.name, ref.version).version);
    return lineageAround(await this.lineageFacts(), id);
  }

  /**
   * Runs `fn` as one atomic unit: every write to any group inside it (inserts, deletes, definition
   * changes) commits together when `fn` resolves, or not at all when it throws. Each write still
   * gets its own commit id and log entry; reads inside `fn` see the state before the transaction.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.db.write(() => fn());
  }

  /**
   * The id of the last commit this process knows of: it changes whenever anything is written, so it
   * keys caches of derived answers (a read-only store is one snapshot: it never changes).
   */
  get lastCommitId(): number {
    return this.parts.commitClock.committed;
  }

  // ---- properties and the queue ---------------------------------------------------------------

  /** A property the application keeps with its data (JSON), as last committed; undefined when unset. */
  getProperty(name: string): unknown {
    return this.parts.properties.get(name);
  }

  /** Sets a property (null deletes it); inside transaction() it commits with the rest. */
  setProperty(name: string, value: unknown): Promise<void> {
    return this.parts.properties.set(this.db, name, value);
  }

  /**
   * Inserts rows into the group `spec` describes (created if new): now when this process is the
   * writer, else through the store's queue, which the next writer applies (see spool.ts).
   */
  async insertOrQueue(spec: FeatureGroupSpecInput, rows: readonly InputRow[]): Promise<'inserted' | 'queued'> {
    if (this.writer) {
      await this.insertNow(spec, rows);
      return 'inserted';
    }
    queueRows(this.dir, spec, rows);
    return 'queued';
  }

  private async insertNow(spec: FeatureGroupSpecInput, rows: readonly InputRow[]): Promise<void> {
    await this.transaction(async () => {
      const fg = await this.getOrCreateFeatureGroup(spec);
      await fg.insert(rows);
    });
  }

  /** Publishes a read snapshot now if anything was committed since the last (a writer does this by itself soon after commits). */
  async publish(): Promise<void> {
    await this.writer?.publisher.publishNow();
  }

  /** Waits for the write in progress, applies the queue, publishes, then closes the file. Everything committed is on disk. */
  async close(): Promise<void> {
    this.online?.sync?.stop();
    try {
      await this.writer?.finish();
      await this.db.close();
    } finally {
      await this.online?.remote.release();
    }
  }
}
