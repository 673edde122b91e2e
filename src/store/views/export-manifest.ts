// manifest.json of an exported training dataset: what the files beside it hold, so other machines and languages can train on exactly that version.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FilterSchema } from '../query/filter.js';
import { SplitSpecSchema } from './schema.js';

export const MANIFEST_FILE = 'manifest.json';
export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;
export const EXPORT_FORMATS = ['parquet', 'csv'] as const;

const FeatureTypeSchema = z.enum(['string', 'int', 'float', 'bool', 'date', 'timestamp', 'vector']);

export const ExportManifestSchema = z
  .object({
    manifestVersion: z.literal(1),
    featureView: z.object({ name: z.string(), version: z.number().int() }).strict(),
    trainingDataset: z
      .object({
        version: z.number().int(),
        createdAt: z.string(),
        /** Every source group was read as of this store-wide commit. */
        snapshotCommit: z.number().int(),
        split: SplitSpecSchema,
        startTime: z.string().optional(),
        endTime: z.string().optional(),
        extraFilter: FilterSchema.optional(),
        /** feature -> transformation name, with the state fitted on the training split (to apply the same at serving). */
        transformations: z.record(z.string(), z.string()),
        transformationState: z.record(z.string(), z.record(z.string(), z.unknown())),
      })
      .strict(),
    /** The commit of each source feature group the data was read as of. */
    sourceCommits: z.array(z.object({ featureGroup: z.string(), version: z.number(), commitId: z.number() }).strict()),
    format: z.enum(EXPORT_FORMATS),
    splits: z.array(z.enum(SPLIT_NAMES)).min(1),
    // Only the names airq writes: an edited manifest cannot point a later export's clean-up at other files.
    files: z.array(
      z.object({ split: z.enum(SPLIT_NAMES), file: z.string().regex(/^(train|validation|test)\.(parquet|csv)$/), rows: z.number().int().min(0) }).strict(),
    ),
    /** In file order: the model's features (after transformations), then labels, then training helper columns. */
    columns: z.array(z.object({ name: z.string(), type: FeatureTypeSchema, fileType: z.string(), role: z.enum(['feature', 'label', 'helper']) }).strict()),
    labels: z.array(z.string()),
    createdAt: z.string(),
    airqVersion: z.string(),
  })
  .strict();
export type ExportManifest = z.infer<typeof ExportManifestSchema>;

/** What an export is of: a second export of the same may replace it; anything else needs --force. */
export interface ExportIdentity {
  featureView: { name: string; version: number };
  trainingDataset: { version: number };
  format: string;
  splits: readonly string[];
}

export function exportIdentity(m: ExportIdentity): string {
  return `${m.featureView.name} v${m.featureView.version}, training dataset ${m.trainingDataset.version}, ${m.splits.join('+')} as ${m.format}`;
}

/** The manifest already in `dir`: absent, an airq export manifest, or a file that is not one. */
export type ExistingManifest = { kind: 'none' } | { kind: 'export'; manifest: ExportManifest } | { kind: 'other' };

export function readExistingManifest(dir: string): ExistingManifest {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) return { kind: 'none' };
  try {
    const parsed = ExportManifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? { kind: 'export', manifest: parsed.data } : { kind: 'other' };
  } catch {
    return { kind: 'other' };
  }
}
