// The catalog table of the model registry.
import { z } from 'zod';
import type { Database, WriteTx } from '../db/database.js';
import { ModelSpecSchema, type ModelMeta } from './schema.js';

export const MODEL_DDL = `CREATE TABLE IF NOT EXISTS airq_models (
  name VARCHAR NOT NULL, version INTEGER NOT NULL, definition VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL, PRIMARY KEY (name, version))`;

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
  }));
}

export async function nextModelVersion(tx: WriteTx, name: string): Promise<number> {
  const [r] = await tx.query('SELECT coalesce(max(version), 0) + 1 AS v FROM airq_models WHERE name = $1', [name]);
  return Number(r?.v ?? 1);
}

export async function insertModel(tx: WriteTx, m: ModelMeta): Promise<void> {
  const { name, version, createdAt, ...definition } = m;
  await tx.run('INSERT INTO airq_models VALUES ($1, $2, $3, $4::TIMESTAMP)', [name, version, JSON.stringify(definition), createdAt]);
}
