// The catalog: feature-group definitions and the store's own metadata tables, kept in the same DuckDB file.
import { ExpectationSuiteSchema } from './expectations/schema.js';
import type { Database, WriteTx } from './db/database.js';
import { ident, sqlTypeOf } from './db/values.js';
import { FeatureSpecSchema, type FeatureGroupMeta } from './types.js';
import { z } from 'zod';
import { EmbeddingIndexSpecSchema } from './vector/spec.js';

/** Bumped when the layout of the metadata tables changes. */
export const STORE_FORMAT = 1;

const DDL = [
  `CREATE TABLE IF NOT EXISTS airq_store_info (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS airq_feature_groups (
     name VARCHAR NOT NULL, version INTEGER NOT NULL, definition VARCHAR NOT NULL,
     created_at TIMESTAMP NOT NULL, PRIMARY KEY (name, version))`,
  `CREATE TABLE IF NOT EXISTS airq_commits (
     commit_id BIGINT PRIMARY KEY, fg_name VARCHAR NOT NULL, fg_version INTEGER NOT NULL,
     ingested_at TIMESTAMP NOT NULL, operation VARCHAR NOT NULL,
     rows_inserted BIGINT NOT NULL, rows_updated BIGINT NOT NULL, rows_deleted BIGINT NOT NULL,
     validation_success BOOLEAN, validation VARCHAR, statistics VARCHAR)`,
];

/** The stored definition, parsed back with zod so a damaged catalog fails loudly, not subtly. */
const StoredDefinition = z.object({
  description: z.string(),
  source: z.string().optional(),
  primaryKey: z.array(z.string()).min(1),
  eventTime: z.string().optional(),
  onlineEnabled: z.boolean(),
  expectations: ExpectationSuiteSchema.optional(),
  ttl: z.number().optional(),
  schema: z.array(FeatureSpecSchema).nullable(),
  embeddingIndex: z.array(EmbeddingIndexSpecSchema).optional(),
  table: z.string(),
});

export async function initCatalog(db: Database): Promise<void> {
  for (const sql of DDL) await db.exec(sql);
  await db.exec(`INSERT INTO airq_store_info VALUES ('format', '${STORE_FORMAT}') ON CONFLICT (key) DO NOTHING`);
  await db.exec(`INSERT INTO airq_store_info VALUES ('write_seq', '0') ON CONFLICT (key) DO NOTHING`);
}

/** How many transactions have changed the store (0 for a store from before the count). */
export async function readWriteSeq(db: Database): Promise<number> {
  const [r] = await db.query(`SELECT value FROM airq_store_info WHERE key = 'write_seq'`);
  return r ? Number(r.value) : 0;
}

export async function writeWriteSeq(tx: WriteTx, seq: number): Promise<void> {
  await tx.run(`UPDATE airq_store_info SET value = $1 WHERE key = 'write_seq'`, [String(seq)]);
}

function definitionOf(meta: FeatureGroupMeta): string {
  return JSON.stringify({
    description: meta.description,
    source: meta.source,
    primaryKey: meta.primaryKey,
    eventTime: meta.eventTime,
    onlineEnabled: meta.onlineEnabled,
    expectations: meta.expectations,
    ttl: meta.ttl,
    schema: meta.schema,
    embeddingIndex: meta.embeddingIndex,
    table: meta.table,
  });
}

function metaFromRow(r: Record<string, unknown>): FeatureGroupMeta {
  const d = StoredDefinition.parse(JSON.parse(String(r.definition)));
  return {
    name: String(r.name),
    version: Number(r.version),
    createdAt: String(r.created_at),
    description: d.description,
    source: d.source,
    primaryKey: d.primaryKey,
    eventTime: d.eventTime,
    onlineEnabled: d.onlineEnabled,
    expectations: d.expectations,
    ttl: d.ttl,
    schema: d.schema,
    embeddingIndex: d.embeddingIndex,
    table: d.table,
  };
}

export async function listGroupMetas(db: Database): Promise<FeatureGroupMeta[]> {
  const rows = await db.query('SELECT name, version, definition, created_at FROM airq_feature_groups ORDER BY name, version');
  return rows.map(metaFromRow);
}

export async function insertGroupMeta(tx: WriteTx, meta: FeatureGroupMeta): Promise<void> {
  await tx.run('INSERT INTO airq_feature_groups VALUES ($1, $2, $3, $4::TIMESTAMP)', [meta.name, meta.version, definitionOf(meta), meta.createdAt]);
}

export async function updateGroupMeta(tx: WriteTx, meta: FeatureGroupMeta): Promise<void> {
  await tx.run('UPDATE airq_feature_groups SET definition = $3 WHERE name = $1 AND version = $2', [meta.name, meta.version, definitionOf(meta)]);
}

/**
 * Creates the offline table: the commit that wrote a row version and the one that replaced it, then
 * the features. The bookkeeping columns come first so that features added later by ALTER TABLE
 * stay in schema order at the end, which is the order the appender writes.
 */
export async function createGroupTable(tx: WriteTx, meta: FeatureGroupMeta): Promise<void> {
  const cols = meta.schema!.map((f) => `${ident(f.name)} ${sqlTypeOf(f)}`);
  await tx.run(`CREATE TABLE ${ident(meta.table)} (_commit_id BIGINT NOT NULL, _valid_to BIGINT, ${cols.join(', ')})`);
}
