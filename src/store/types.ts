// The store's data model: feature types, rows, feature-group definitions (zod-validated at the API boundary).
import { z } from 'zod';
import { ExpectationSuiteSchema, type ExpectationSuite } from './expectations/schema.js';

import { FEATURE_TYPES, type FeatureType } from './feature-types.js';
import { EmbeddingIndexSpecSchema, type EmbeddingIndexSpec } from './vector/spec.js';

export { FEATURE_TYPES, type FeatureType } from './feature-types.js';

/**
 * A value as the store hands it out: dates are `YYYY-MM-DD` strings, timestamps are UTC ISO-8601
 * strings, ints and floats are numbers. Inputs may also give a `Date` for dates and timestamps.
 */
export type FeatureValue = string | number | boolean | null | number[];
export type Row = Record<string, FeatureValue>;
export type InputValue = FeatureValue | Date | bigint | Float32Array | Float64Array | undefined;
export type InputRow = Record<string, InputValue>;

/** Names that are safe as SQL identifiers without surprises; `_`-prefixed names are the store's own. */
export const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
export const GROUP_NAME = /^[a-z][a-z0-9_]{0,62}$/;

export const FeatureSpecSchema = z
  .object({
    name: z.string().regex(IDENTIFIER, 'a feature name starts with a letter and has only letters, digits and _'),
    type: z.enum(FEATURE_TYPES),
    /** Length of a `vector` column (and only of one). */
    dim: z.number().int().min(1).max(4096).optional(),
    description: z.string().max(2000).optional(),
  })
  .strict()
  .refine((f) => (f.type === 'vector') === (f.dim !== undefined), { message: 'a vector column needs a dim (its length), and only a vector column has one' });
export type FeatureSpec = z.infer<typeof FeatureSpecSchema>;

/** One documented column of a group definition (a `vector` column adds its `dim`). */
export const column = (name: string, type: FeatureType, description: string) => ({ name, type, description });

/** `7d`, `12h`, `30m`, `45s`, or a number of seconds. */
const TtlSchema = z.union([
  z.number().positive().finite(),
  z.string().regex(/^\d+(\.\d+)?[smhd]$/, 'a TTL is a number of seconds or a duration such as "7d", "12h", "30m"'),
]);

export function ttlToSeconds(ttl: number | string): number {
  if (typeof ttl === 'number') return ttl;
  const unit = ttl.slice(-1);
  const n = Number(ttl.slice(0, -1));
  const scale = { s: 1, m: 60, h: 3600, d: 86_400 }[unit as 's' | 'm' | 'h' | 'd'];
  return n * scale;
}

export const FeatureGroupSpecSchema = z
  .object({
    name: z.string().regex(GROUP_NAME, 'a feature group name is lowercase letters, digits and _, starting with a letter'),
    version: z.number().int().min(1).max(100_000).default(1),
    description: z.string().max(10_000).default(''),
    /** Where the data comes from (e.g. "open-meteo", "uci-beijing"): the start of lineage. */
    source: z.string().max(200).optional(),
    primaryKey: z.union([z.string(), z.array(z.string()).min(1).max(16)]).transform((k) => (typeof k === 'string' ? [k] : k)),
    eventTime: z.string().optional(),
    onlineEnabled: z.boolean().default(false),
    expectations: ExpectationSuiteSchema.optional(),
    ttl: TtlSchema.optional().transform((t) => (t === undefined ? undefined : ttlToSeconds(t))),
    schema: z.array(FeatureSpecSchema).min(1).max(1000).optional(),
    /** Vector columns to index for nearest-neighbour search (HNSW, kept in step with every commit). */
    embeddingIndex: z.array(EmbeddingIndexSpecSchema).min(1).max(8).optional(),
  })
  .strict();

export type FeatureGroupSpecInput = z.input<typeof FeatureGroupSpecSchema>;
export type FeatureGroupSpec = z.output<typeof FeatureGroupSpecSchema>;

/** What the catalog keeps for one feature-group version. `schema` is null until the first insert when it is inferred. */
export interface FeatureGroupMeta {
  name: string;
  version: number;
  description: string;
  source: string | undefined;
  primaryKey: string[];
  eventTime: string | undefined;
  onlineEnabled: boolean;
  expectations: ExpectationSuite | undefined;
  /** Seconds after its event time that an online row is still served. */
  ttl: number | undefined;
  schema: FeatureSpec[] | null;
  embeddingIndex: EmbeddingIndexSpec[] | undefined;
  createdAt: string;
  table: string;
}

export function tableNameFor(name: string, version: number): string {
  return `fg_${name}_v${version}`;
}
