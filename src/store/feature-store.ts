// The FeatureStore facade: opens one directory and hands out feature groups. Thin on purpose.
import { mkdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { systemClock, type Clock } from '../core/clock.js';
import { ConflictError, ConfigError, NotFoundError, ValidationError } from '../core/errors.js';
import { parseOrThrow } from '../core/validate.js';
import { createGroupTable, initCatalog, insertGroupMeta, listGroupMetas } from './catalog.js';
import { CommitClock } from './commit-log.js';
import { Database } from './db/database.js';
import { FeatureGroup } from './feature-group.js';
import { schemaDifferences } from './schema.js';
import { FeatureGroupSpecSchema, tableNameFor, type FeatureGroupMeta, type FeatureGroupSpec, type FeatureGroupSpecInput } from './types.js';
import { assertDefinitionFitsSchema } from './write/definition-check.js';
import { queryFromJson } from './query/query-json.js';
import { insertView, listViews, VIEW_DDL, type StoredView } from './views/catalog.js';
import { conflict, defineView, viewDifferences, type FeatureViewSpecInput } from './views/define-view.js';
import { FeatureView } from './views/feature-view.js';
import { TransformationRegistry, type Transformation } from './views/transformations.js';
import { lineageAround, lineageId, lineageLines, type LineageFacts, type LineageGraph } from './lineage.js';
import { cleanStaging } from './registry/artifacts.js';
import { MODEL_DDL } from './registry/catalog.js';
import { ModelRegistry } from './registry/registry.js';
import type { ModelMeta } from './registry/schema.js';

/** A node to draw lineage around. */
export type LineageRef =
  | { kind: 'source'; name: string }
  | { kind: 'featureGroup' | 'featureView' | 'model'; name: string; version?: number }
  | { kind: 'trainingDataset'; featureView: string; featureViewVersion: number; version: number };

export interface OpenOptions {
  /** The directory that holds everything: the DuckDB file now, index files and model artifacts later. */
  dir: string;
  /** Open without taking the write lock (several readers, no writes). */
  readOnly?: boolean;
  /** Where "now" comes from for TTLs (defaults to the system clock). */
  clock?: Clock;
}

export const DB_FILE = 'store.duckdb';

const key = (name: string, version: number) => `${name}@${version}`;

/**
 * The differences between a stored definition and a requested one that make them different groups.
 * The description and the expectation suite are not among them: a suite evolves with the group
 * (fg.setExpectationSuite), and getOrCreate returns an existing group with the suite it has.
 */
function definitionDifferences(stored: FeatureGroupMeta, spec: FeatureGroupSpec): string[] {
  const diffs: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (!same(stored.primaryKey, spec.primaryKey)) {
    diffs.push(`primaryKey is [${stored.primaryKey}] in the store, [${spec.primaryKey}] in the request`);
  }
  if (stored.eventTime !== spec.eventTime) {
    diffs.push(`eventTime is ${stored.eventTime ?? 'unset'} in the store, ${spec.eventTime ?? 'unset'} in the request`);
  }
  if (stored.onlineEnabled !== spec.onlineEnabled) {
    diffs.push(`onlineEnabled is ${stored.onlineEnabled} in the store, ${spec.onlineEnabled} in the request`);
  }
  if (stored.ttl !== spec.ttl) diffs.push(`ttl is ${stored.ttl ?? 'unset'} s in the store, ${spec.ttl ?? 'unset'} s in the request`);
  if (stored.schema !== null && spec.schema !== undefined) diffs.push(...schemaDifferences(stored.schema, spec.schema));
  if (!same(stored.embeddingIndex ?? null, spec.embeddingIndex ?? null)) diffs.push('embeddingIndex differs');
  return diffs;
}

export class FeatureStore {
  private readonly groups = new Map<string, FeatureGroup>();
  private readonly views = new Map<string, FeatureView>();
  private readonly transformations = new TransformationRegistry();
  /** The model registry of this store (artifacts live under models/ in the store directory). */
  readonly registry: ModelRegistry;

  private constructor(
    readonly dir: string,
    private readonly db: Database,
    private readonly commitClock: CommitClock,
    private readonly clock: Clock,
  ) {
    this.registry = new ModelRegistry({
      db,
      storeDir: dir,
      featureView: (n, v) => this.getFeatureView(n, v),
      lineageOf: async (n, v, pending) => lineageLines(lineageAround(await this.lineageFacts(pending), lineageId.model(n, v))),
    });
  }

  static async open(options: OpenOptions): Promise<FeatureStore> {
    const dir = resolve(options.dir);
    const file = join(dir, DB_FILE);
    if (options.readOnly) {
      if (!existsSync(file)) throw new ConfigError(`there is no airq store in ${dir} (no ${DB_FILE}); create one first`);
    } else {
      mkdirSync(dir, { recursive: true });
    }
    const db = await Database.open(file, { readOnly: options.readOnly ?? false });
    try {
      if (!options.readOnly) {
        await initCatalog(db);
        for (const sql of [...VIEW_DDL, MODEL_DDL]) await db.exec(sql);
        cleanStaging(dir);
      }
      const store = new FeatureStore(dir, db, await CommitClock.load(db), options.clock ?? systemClock);
      for (const meta of await listGroupMetas(db)) store.remember(meta);
      for (const view of await listViews(db)) store.rememberView(view);
      await store.registry.load();
      return store;
    } catch (e) {
      await db.close();
      throw e;
    }
  }

  private remember(meta: FeatureGroupMeta): FeatureGroup {
    const fg = new FeatureGroup({ db: this.db, commitClock: this.commitClock, storeDir: this.dir }, meta, this.clock);
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

  private async lineageFacts(pending?: ModelMeta): Promise<LineageFacts> {
    const views = await Promise.all(
      this.listFeatureViews().map(async (v) => ({
        name: v.name,
        version: v.version,
        query: v.definition.query,
        trainingDatasets: (await v.trainingDatasets()).map((t) => t.version),
      })),
    );
    const models = [...this.registry.list().map((m) => m.meta), ...(pending ? [pending] : [])];
    return {
      groups: this.listFeatureGroups().map((g) => ({ name: g.name, version: g.version, source: g.meta.source })),
      views,
      models: models.map((m) => ({ name: m.name, version: m.version, featureView: m.featureView, trainingDatasetVersion: m.trainingDatasetVersion })),
    };
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
   * The id of the last commit this process knows of: it changes whenever anything is written, so
   * it keys caches of derived answers (another process cannot write while this one has the file open).
   */
  get lastCommitId(): number {
    return this.commitClock.committed;
  }

  /** Waits for the write in progress, then closes the file. Everything committed is on disk. */
  async close(): Promise<void> {
    // Index files are a cache of the tables; a read-only opener leaves them to the writer.
    if (!this.db.readOnly) for (const g of this.groups.values()) g.saveIndexes();
    return this.db.close();
  }
}
