// The FeatureStore facade: opens one directory and hands out feature groups. Thin on purpose.
import { mkdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { systemClock, type Clock } from '../core/clock.js';
import { ConflictError, ConfigError, NotFoundError } from '../core/errors.js';
import { parseOrThrow } from '../core/validate.js';
import { createGroupTable, initCatalog, insertGroupMeta, listGroupMetas } from './catalog.js';
import { CommitClock } from './commit-log.js';
import { Database } from './db/database.js';
import { FeatureGroup } from './feature-group.js';
import { schemaDifferences } from './schema.js';
import {
  FeatureGroupSpecSchema,
  tableNameFor,
  type FeatureGroupMeta,
  type FeatureGroupSpec,
  type FeatureGroupSpecInput,
} from './types.js';
import { assertDefinitionFitsSchema } from './write/definition-check.js';

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

/** The differences between a stored definition and a requested one that make them different groups. */
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
  if (!same(stored.expectations, spec.expectations)) {
    diffs.push('the expectation suite differs (change it with fg.setExpectationSuite)');
  }
  if (stored.schema !== null && spec.schema !== undefined) diffs.push(...schemaDifferences(stored.schema, spec.schema));
  return diffs;
}

export class FeatureStore {
  private readonly groups = new Map<string, FeatureGroup>();

  private constructor(
    readonly dir: string,
    private readonly db: Database,
    private readonly commitClock: CommitClock,
    private readonly clock: Clock,
  ) {}

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
      if (!options.readOnly) await initCatalog(db);
      const store = new FeatureStore(dir, db, await CommitClock.load(db), options.clock ?? systemClock);
      for (const meta of await listGroupMetas(db)) store.remember(meta);
      return store;
    } catch (e) {
      await db.close();
      throw e;
    }
  }

  private remember(meta: FeatureGroupMeta): FeatureGroup {
    const fg = new FeatureGroup({ db: this.db, commitClock: this.commitClock }, meta, this.clock);
    this.groups.set(key(meta.name, meta.version), fg);
    return fg;
  }

  /**
   * The group with this name and version: created if new, returned as is if the definition matches,
   * a ConflictError naming every difference if it does not (a breaking change needs a new version).
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
      primaryKey: spec.primaryKey,
      eventTime: spec.eventTime,
      onlineEnabled: spec.onlineEnabled,
      expectations: spec.expectations,
      ttl: spec.ttl,
      schema: spec.schema ?? null,
      createdAt: new Date().toISOString(),
      table: tableNameFor(spec.name, spec.version),
    };
    if (meta.schema !== null) assertDefinitionFitsSchema(meta, meta.schema);
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
      throw new NotFoundError(
        `no feature group named "${name}"${names.length ? `; the store has: ${names.join(', ')}` : '; the store is empty'}`,
      );
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
    return [...this.groups.values()].filter((g) => g.name === name).map((g) => g.version).sort((a, b) => a - b);
  }

  private nextVersion(name: string): number {
    const v = this.versionsOf(name);
    return (v[v.length - 1] ?? 0) + 1;
  }

  /** Waits for the write in progress, then closes the file. Everything committed is on disk. */
  close(): Promise<void> {
    return this.db.close();
  }
}
