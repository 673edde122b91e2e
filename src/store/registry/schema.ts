// Models in the registry: what a caller gives to create one, and what the catalog keeps.
import { z } from 'zod';
import { GROUP_NAME } from '../types.js';

export const ModelSpecSchema = z
  .object({
    name: z.string().regex(GROUP_NAME, 'a model name is lowercase letters, digits and _, starting with a letter'),
    description: z.string().max(10_000).default(''),
    /** Evaluation metrics, e.g. { rmse: 41.2, mae: 27.9 }. */
    metrics: z.record(z.string().min(1).max(100), z.number().refine(Number.isFinite, 'a metric must be a finite number')).default({}),
    featureView: z.object({ name: z.string(), version: z.number().int().min(1) }),
    trainingDatasetVersion: z.number().int().min(1),
    /** One input row, for documentation and for checking callers. */
    inputExample: z.record(z.string(), z.unknown()).optional(),
    /** Free-form model schema (inputs and outputs). */
    schema: z.record(z.string(), z.unknown()).optional(),
    /** Short facts to find versions by (what data it was trained on, a fingerprint of the artifact...). */
    tags: z
      .record(z.string().regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'a tag name is lowercase letters, digits, ".", "_" and "-"'), z.string().max(10_000))
      .default({}),
  })
  .strict();
export type ModelSpec = z.output<typeof ModelSpecSchema>;

export interface ModelMeta extends ModelSpec {
  version: number;
  createdAt: string;
  /** Artifact files, relative to the model's directory. */
  files: string[];
  /** Files under images/: evaluation images (feature importance, predicted vs actual...). */
  images: string[];
  /** The model's input columns, in training order (from its training dataset version). */
  features: string[];
  /** SHA-256 (hex) of each artifact file, checked before a file is used; null for models saved before airq recorded them. */
  checksums: Record<string, string> | null;
}
