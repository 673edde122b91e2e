// Checks a feature view request against its query and turns it into the stored definition.
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import { parseOrThrow } from '../../core/validate.js';
import { Query } from '../query/query.js';
import { queryToJson } from '../query/query-json.js';
import type { FeatureViewDefinition } from './schema.js';
import { ViewNameSchema } from './schema.js';
import { NUMERIC_TYPES, type TransformationRegistry } from './transformations.js';

const Columns = z.array(z.string().min(1).max(63)).max(1000);

export const FeatureViewSpecSchema = z
  .object({
    name: ViewNameSchema,
    version: z.number().int().min(1).max(100_000).default(1),
    description: z.string().max(10_000).default(''),
    query: z.instanceof(Query, { message: 'query must be a query built from a feature group (fg.select(...))' }),
    labels: Columns.default([]),
    /** feature -> transformation name (built-in or registered) */
    transformations: z.record(z.string(), z.string()).default({}),
    inferenceHelperColumns: Columns.default([]),
    trainingHelperColumns: Columns.default([]),
  })
  .strict();
export type FeatureViewSpecInput = z.input<typeof FeatureViewSpecSchema>;

/** Validates the request (labels, helpers and transformations against the query's columns). */
export async function defineView(
  input: FeatureViewSpecInput,
  registry: TransformationRegistry,
): Promise<{ name: string; version: number; definition: FeatureViewDefinition }> {
  const spec = parseOrThrow(FeatureViewSpecSchema, input, 'feature view definition');
  const label = `feature view ${spec.name} v${spec.version}`;
  const columns = await spec.query.columns();
  const types = new Map(columns.map((c) => [c.name, c.type]));
  const known = () => [...types.keys()].join(', ');
  for (const [role, names] of [
    ['label', spec.labels],
    ['inference helper column', spec.inferenceHelperColumns],
    ['training helper column', spec.trainingHelperColumns],
  ] as const) {
    for (const n of names) {
      if (!types.has(n)) throw new ValidationError(`${label}: ${role} "${n}" is not in the query; its columns are: ${known()}`, { column: n });
    }
  }
  for (const [feature, fn] of Object.entries(spec.transformations)) {
    const type = types.get(feature);
    if (type === undefined)
      throw new ValidationError(`${label}: transformation on "${feature}", which is not in the query; its columns are: ${known()}`, { column: feature });
    if (spec.labels.includes(feature)) throw new ValidationError(`${label}: "${feature}" is a label; transformations apply to features`, { column: feature });
    let t;
    try {
      t = registry.get(fn);
    } catch (e) {
      if (e instanceof NotFoundError) throw new ValidationError(`${label}: ${e.message}`);
      throw e;
    }
    if (t.numericOnly && !NUMERIC_TYPES.includes(type)) {
      throw new ValidationError(`${label}: ${fn} needs a numeric column, and "${feature}" is ${type}; use labelEncoder or oneHotEncoder for categories`, {
        column: feature,
      });
    }
  }
  const definition: FeatureViewDefinition = {
    description: spec.description,
    query: queryToJson(spec.query),
    labels: spec.labels,
    transformations: spec.transformations,
    inferenceHelperColumns: spec.inferenceHelperColumns,
    trainingHelperColumns: spec.trainingHelperColumns,
  };
  return { name: spec.name, version: spec.version, definition };
}

/** What makes two definitions different views (the description does not). */
export function viewDifferences(stored: FeatureViewDefinition, requested: FeatureViewDefinition): string[] {
  const diffs: string[] = [];
  for (const key of ['query', 'labels', 'transformations', 'inferenceHelperColumns', 'trainingHelperColumns'] as const) {
    if (JSON.stringify(stored[key]) !== JSON.stringify(requested[key])) diffs.push(`${key} differs`);
  }
  return diffs;
}

export function conflict(name: string, version: number, diffs: string[], next: number): ConflictError {
  return new ConflictError(
    `feature view ${name} v${version} already exists with a different definition: ${diffs.join('; ')}. Create version ${next} instead.`,
    { differences: diffs },
  );
}
