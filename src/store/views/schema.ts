// Feature views and training dataset versions: their definitions as stored, with zod schemas.
import { z } from 'zod';
import { GROUP_NAME } from '../types.js';
import { FilterSchema } from '../query/filter.js';
import { QueryJsonSchema } from '../query/query-json.js';

const Columns = z.array(z.string().min(1).max(63)).max(1000);

/** What the catalog keeps for a view: everything but data (a view copies none). */
export const FeatureViewDefinitionSchema = z
  .object({
    description: z.string().max(10_000),
    query: QueryJsonSchema,
    labels: Columns,
    /** feature name -> transformation name */
    transformations: z.record(z.string(), z.string()),
    inferenceHelperColumns: Columns,
    trainingHelperColumns: Columns,
  })
  .strict();
export type FeatureViewDefinition = z.infer<typeof FeatureViewDefinitionSchema>;

export const ViewNameSchema = z.string().regex(GROUP_NAME, 'a feature view name is lowercase letters, digits and _, starting with a letter');

const Range = z.object({ start: z.string().optional(), end: z.string().optional() }).strict();
export type TimeRange = z.infer<typeof Range>;

export const SplitSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z
    .object({
      kind: z.literal('random'),
      testSize: z.number().gt(0).lt(1),
      validationSize: z.number().gt(0).lt(1).optional(),
      seed: z.number().int(),
    })
    .strict()
    .refine((s) => (s.validationSize ?? 0) + s.testSize < 1, 'testSize + validationSize must be below 1'),
  z.object({ kind: z.literal('temporal'), train: Range, validation: Range.optional(), test: Range }).strict(),
]);
export type SplitSpec = z.infer<typeof SplitSpecSchema>;

export const TrainingDatasetSchema = z
  .object({
    split: SplitSpecSchema,
    startTime: z.string().optional(),
    endTime: z.string().optional(),
    extraFilter: FilterSchema.optional(),
    /** Every source group is read as of this store-wide commit: later or late data never changes it. */
    snapshotCommit: z.number().int().min(0),
    sourceCommits: z.array(z.object({ featureGroup: z.string(), version: z.number(), commitId: z.number() }).strict()),
    /** Fitted on the training split only. */
    transformationState: z.record(z.string(), z.record(z.string(), z.unknown())),
    /** The model's input columns after transformations, in training order. */
    featureNames: z.array(z.string()),
    rowCounts: z.record(z.string(), z.number()),
  })
  .strict();
export type TrainingDatasetDefinition = z.infer<typeof TrainingDatasetSchema>;

export interface TrainingDatasetInfo extends TrainingDatasetDefinition {
  featureView: string;
  featureViewVersion: number;
  version: number;
  createdAt: string;
}
