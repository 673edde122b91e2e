// The catalog table of the model registry.
import { z } from 'zod';
import type { Database, WriteTx } from '../db/database.js';
import { ModelSpecSchema, type ModelMeta } from './schema.js';

export const MODEL_DDL = `CREATE TABLE IF NOT EXISTS airq_models (
  name VARCHAR NOT NULL, version INTEGER NOT NULL, definition VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL, checksums VARCHAR, PRIMARY KEY (name, version))`;

/**
 * Brings a store's model table up to this layout (the writer's open calls it). Stores made before
 * checksums get the column, NULL for their models: those load without a check (nothing was recorded
 * to check against; a checksum taken now would vouch for whatever the files have become).
 */
export async function migrateModelTable(db: Database): Promise<void> {
  const cols = await db.query(`SELECT column_name FROM duckdb_columns() WHERE table_name = 'airq_models' AND schema_name = 'main'`);
  if (!cols.some((c) => c.column_name === 'checksums')) await db.exec('ALTER TABLE airq_models ADD COLUMN checksums VARCHAR');
}

/** What the checksums column holds: file -> SHA-256 (hex). */
const StoredChecksums = z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/));

const Stored = ModelSpecSchema.omit({ name: true }).extend({
  files: z.array(z.string()),
  images: z.array(z.string()),
  features: z.array(z.string()),
});

export async function listModels(db: Database): Promise<ModelMeta[]> {
  const rows = await db.query('SELECT * FROM airq_models ORDER BY name, version');
  return rows.map((r) => ({
    ...Stored.parse(JSON.parse(String(r.definition))),
    name: String(r.name),
    version: Number(r.version),
    createdAt: String(r.created_at),
    // Absent in a read snapshot published before the migration; NULL for models saved before checksums.
    checksums: r.checksums === undefined || r.checksums === null ? null : StoredChecksums.parse(JSON.parse(String(r.checksums))),
  }));
}

export async function nextModelVersion(tx: WriteTx, name: string): Promise<number> {
  const [r] = await tx.query('SELECT coalesce(max(version), 0) + 1 AS v FROM airq_models WHERE name = $1', [name]);
  return Number(r?.v ?? 1);
}

export async function insertModel(tx: WriteTx, m: ModelMeta): Promise<void> {
  const { name, version, createdAt, checksums, ...definition } = m;
  await tx.run('INSERT INTO airq_models (name, version, definition, created_at, checksums) VALUES ($1, $2, $3, $4::TIMESTAMP, $5)', [
    name,
    version,
    JSON.stringify(definition),
    createdAt,
    checksums === null ? null : JSON.stringify(checksums),
  ]);
}
