// The body of POST /features/{view}/{version}, validated: entity keys as rows or as Feast's columns, passed features, the return type.
import { z } from 'zod';
import { ValidationError } from '../core/errors.js';

export const MAX_ENTITIES = 1000;

const KeyValue = z.union([z.string().max(1000), z.number().finite(), z.boolean()], {
  error: 'a key value is a string, a number or true/false',
});
export type KeyValue = z.infer<typeof KeyValue>;
const ColumnName = z.string().min(1).max(200);
const Passed = z.record(ColumnName, z.union([z.string().max(10_000), z.number().finite(), z.boolean(), z.null()]));
export type PassedFeatures = z.infer<typeof Passed>;

const Rows = z
  .array(z.record(ColumnName, KeyValue), { error: 'entities is a list of key objects' })
  .min(1, 'give at least one entity')
  .max(MAX_ENTITIES, `give at most ${MAX_ENTITIES} entities a request; split bigger batches`);
const Columns = z
  .record(ColumnName, z.array(KeyValue).max(MAX_ENTITIES, `give at most ${MAX_ENTITIES} entities a request; split bigger batches`))
  .refine((c) => Object.keys(c).length > 0, 'entities names no key column');

const Body = z
  .object({
    entities: z.custom<unknown>((v) => v !== undefined, 'missing: give {"entities": [{"<key column>": value}, …]}'),
    passedFeatures: z.union([z.array(Passed), Passed], { error: 'passedFeatures is one object of feature values, or a list of one per entity' }).optional(),
    returnType: z.enum(['object', 'array']).default('object'),
  })
  .strict();

export interface FeatureRequest {
  /** One key object per entity, in the order asked. */
  entities: Record<string, KeyValue>[];
  /** The passed features of each entity (one object for all, or one per entity). */
  passed: (PassedFeatures | undefined)[];
  returnType: 'object' | 'array';
}

/** Parses or throws a ValidationError naming each wrong place from `at` on (entities.0.location_id: …). */
function parse<S extends z.ZodType>(schema: S, value: unknown, at: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const where = (path: readonly PropertyKey[]) => [at, ...path.map(String)].filter(Boolean).join('.') || 'body';
  throw new ValidationError(
    r.error.issues
      .slice(0, 3)
      .map((i) => `${where(i.path)}: ${i.message}`)
      .join('; '),
  );
}

/** Row form as is; column form ({"location_id": ["a", "b"]}) turned into rows, its columns of one length. */
function entitiesOf(value: unknown): Record<string, KeyValue>[] {
  if (Array.isArray(value)) return parse(Rows, value, 'entities');
  if (value === null || typeof value !== 'object') {
    throw new ValidationError('entities is missing or not a list: give [{"key": value}, …], or columns {"key": [value, …]}');
  }
  const columns = parse(Columns, value, 'entities');
  const lengths = Object.entries(columns).map(([name, values]) => `${name} ${values.length}`);
  const n = Object.values(columns)[0]!.length;
  if (Object.values(columns).some((v) => v.length !== n)) throw new ValidationError(`entities: the key columns differ in length (${lengths.join(', ')})`);
  if (n === 0) throw new ValidationError('entities: give at least one entity');
  return Array.from({ length: n }, (_, i) => Object.fromEntries(Object.entries(columns).map(([name, values]) => [name, values[i]!])));
}

/** A JSON.parse error as a place in the body: line and column when the message gives a position. */
function jsonProblem(text: string, e: unknown): string {
  const message = (e as Error).message;
  const at = /at position (\d+)/.exec(message);
  if (!at) return `the body is not valid JSON: ${message.replace(/, (".*") is not valid JSON$/s, ' near $1')}`;
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  return `the body is not valid JSON: line ${line}, column ${before.length - before.lastIndexOf('\n')}: ${message.replace(/ in JSON at position.*$/s, '')}`;
}

/** The request in the body's bytes (UTF-8 JSON), or a ValidationError naming what is wrong. */
export function featureRequestOf(bytes: Buffer): FeatureRequest {
  const text = bytes.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ValidationError(jsonProblem(text, e));
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new ValidationError('the body is a JSON object: {"entities": […]}');
  const body = parse(Body, json, '');
  const entities = entitiesOf(body.entities);
  const passed = body.passedFeatures;
  if (Array.isArray(passed) && passed.length !== entities.length) {
    throw new ValidationError(`passedFeatures lists ${passed.length} objects for ${entities.length} entities: give one per entity, or one object for all`);
  }
  return { entities, passed: entities.map((_, i) => (Array.isArray(passed) ? passed[i] : passed)), returnType: body.returnType };
}
