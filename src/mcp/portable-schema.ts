// A tool's zod schema as served over MCP: JSON Schema every major model provider takes as it is (no $schema, no additionalProperties, no propertyNames), validated by zod.
import { z } from 'zod';

type Json = Record<string, unknown>;

/** The Standard Schema shape the MCP SDK reads: JSON Schema for tools/list, validation for tools/call. */
export interface ServedSchema {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => ReturnType<z.ZodType['~standard']['validate']>;
    readonly jsonSchema: { readonly input: () => Json; readonly output: () => Json };
  };
}

/**
 * Keywords left out of a served input schema, with why. The values they describe are still enforced: zod validates every call.
 * - `$schema`: Gemini function declarations refuse an unknown key, and the MCP spec already fixes the dialect.
 * - `additionalProperties`: Gemini refuses it, and Google's MCP adapter fails on `false`; OpenAI's strict rule adds it back.
 */
const DROPPED = new Set(['$schema', 'additionalProperties']);

/** Keywords no provider-safe input may carry: a schema that needs them must be reshaped in its tool (e.g. a list of {column, value}). */
const REFUSED = ['propertyNames', 'patternProperties', '$ref', '$defs', 'allOf', 'oneOf', 'not', 'const'];

/** `schema` without the dropped keywords, at every depth; throws when a refused one is present. */
export function portableJson(schema: unknown, path = '$'): unknown {
  if (Array.isArray(schema)) return schema.map((s, i) => portableJson(s, `${path}[${i}]`));
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    if (REFUSED.includes(k)) throw new Error(`${path}: ${k} is not provider-safe; reshape the tool's input`);
    if (k === 'additionalProperties' && v !== false) throw new Error(`${path}: an open key/value object is not provider-safe; use a list of {column, value}`);
    if (DROPPED.has(k)) continue;
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v as Json).map(([name, p]) => [name, portableJson(p, `${path}.${name}`)]));
    else if (k === 'items' || k === 'anyOf') out[k] = portableJson(v, `${path}.${k}`);
    else out[k] = v; // a value (type, enum, default, bounds, description), not a schema
  }
  return out;
}

/**
 * Each schema's served form, made once: over stateless HTTP every request builds a fresh server, and converting every
 * tool's schemas again was half of a get_feature_vector call's CPU (airq bench replicas).
 */
const made = { input: new WeakMap<z.ZodObject, ServedSchema>(), output: new WeakMap<z.ZodObject, ServedSchema>() };

function once(kind: keyof typeof made, schema: z.ZodObject, make: () => Json): ServedSchema {
  let s = made[kind].get(schema);
  if (!s) made[kind].set(schema, (s = served(schema, make())));
  return s;
}

/** How `input` reaches clients and model providers, and how its calls are validated. */
export function servedInput(input: z.ZodObject): ServedSchema {
  return once('input', input, () => portableJson(z.toJSONSchema(input, { target: 'draft-2020-12', io: 'input' })) as Json);
}

/** An output schema as the SDK lists it, without `$schema`; the SDK validates every result against it. */
export function servedOutput(output: z.ZodObject): ServedSchema {
  return once('output', output, () => {
    const json = z.toJSONSchema(output, { target: 'draft-2020-12', io: 'output' }) as Json;
    delete json.$schema;
    return json;
  });
}

function served(schema: z.ZodObject, json: Json): ServedSchema {
  return {
    '~standard': {
      version: 1,
      vendor: 'airq',
      validate: (value) => schema['~standard'].validate(value),
      jsonSchema: { input: () => json, output: () => json },
    },
  };
}
