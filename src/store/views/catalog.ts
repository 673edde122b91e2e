// Catalog tables for feature views and their training dataset versions.
import type { Database, WriteTx } from '../db/database.js';
import {
  FeatureViewDefinitionSchema,
  TrainingDatasetSchema,
  type FeatureViewDefinition,
  type TrainingDatasetDefinition,
  type TrainingDatasetInfo,
} from './schema.js';

export const VIEW_DDL = [
  `CREATE TABLE IF NOT EXISTS airq_feature_views (
     name VARCHAR NOT NULL, version INTEGER NOT NULL, definition VARCHAR NOT NULL,
     created_at TIMESTAMP NOT NULL, PRIMARY KEY (name, version))`,
  `CREATE TABLE IF NOT EXISTS airq_training_datasets (
     fv_name VARCHAR NOT NULL, fv_version INTEGER NOT NULL, version INTEGER NOT NULL,
     definition VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, PRIMARY KEY (fv_name, fv_version, version))`,
];

export interface StoredView {
  name: string;
  version: number;
  createdAt: string;
  definition: FeatureViewDefinition;
}

export async function listViews(db: Database): Promise<StoredView[]> {
  const rows = await db.query('SELECT * FROM airq_feature_views ORDER BY name, version');
  return rows.map((r) => ({
    name: String(r.name),
    version: Number(r.version),
    createdAt: String(r.created_at),
    definition: FeatureViewDefinitionSchema.parse(JSON.parse(String(r.definition))),
  }));
}

export async function insertView(tx: WriteTx, v: StoredView): Promise<void> {
  await tx.run('INSERT INTO airq_feature_views VALUES ($1, $2, $3, $4::TIMESTAMP)', [v.name, v.version, JSON.stringify(v.definition), v.createdAt]);
}

function tdFromRow(r: Record<string, unknown>): TrainingDatasetInfo {
  return {
    ...TrainingDatasetSchema.parse(JSON.parse(String(r.definition))),
    featureView: String(r.fv_name),
    featureViewVersion: Number(r.fv_version),
    version: Number(r.version),
    createdAt: String(r.created_at),
  };
}

export async function listTrainingDatasets(db: Database, name: string, version: number): Promise<TrainingDatasetInfo[]> {
  const rows = await db.query('SELECT * FROM airq_training_datasets WHERE fv_name = $1 AND fv_version = $2 ORDER BY version', [name, version]);
  return rows.map(tdFromRow);
}

/** Saves a training dataset version as the next number for its view, inside the caller's transaction. */
export async function insertTrainingDataset(tx: WriteTx, name: string, version: number, def: TrainingDatasetDefinition): Promise<TrainingDatasetInfo> {
  const [r] = await tx.query('SELECT coalesce(max(version), 0) + 1 AS v FROM airq_training_datasets WHERE fv_name = $1 AND fv_version = $2', [name, version]);
  const tdVersion = Number(r?.v ?? 1);
  const createdAt = new Date().toISOString();
  await tx.run('INSERT INTO airq_training_datasets VALUES ($1, $2, $3, $4, $5::TIMESTAMP)', [name, version, tdVersion, JSON.stringify(def), createdAt]);
  return { ...def, featureView: name, featureViewVersion: version, version: tdVersion, createdAt };
}
