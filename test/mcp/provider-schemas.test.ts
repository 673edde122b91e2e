// Every tool's input schema, as airq's MCP server lists it, against the written-down rules of Anthropic, Gemini function declarations and OpenAI strict mode.
import { beforeAll, describe, expect, it } from 'vitest';
import { toStrictSchema } from '../../src/agent/strict-schema.js';
import type { ToolSpec } from '../../src/agent/types.js';
import { anthropicProblems, geminiProblems, standardStrict } from '../helpers/provider-rules.js';
import { listedToolSpecs, strictProblems } from '../helpers/strict-subset.js';

let specs: ToolSpec[];
beforeAll(async () => {
  specs = await listedToolSpecs();
});

type Schema = Record<string, unknown>;

/** Every sub-schema with its path. */
function* walk(s: unknown, path = '$'): Generator<[string, Schema]> {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return;
  const schema = s as Schema;
  yield [path, schema];
  for (const [k, v] of Object.entries((schema.properties as Schema | undefined) ?? {})) yield* walk(v, `${path}.${k}`);
  if (schema.items) yield* walk(schema.items, `${path}[]`);
  if (Array.isArray(schema.anyOf)) for (const [i, b] of schema.anyOf.entries()) yield* walk(b, `${path}|${i}`);
}

/** A strict schema with one spelling of "or null" (strict mode takes both `type: [T, "null"]` and `anyOf: [T, {type: "null"}]`), without descriptions. */
function normalized(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(normalized);
  if (typeof s !== 'object' || s === null) return s;
  const o = Object.fromEntries(Object.entries(s).filter(([k]) => k !== 'description')) as Schema;
  const branches = o.anyOf as Schema[] | undefined;
  if (branches?.length === 2 && branches[1]!.type === 'null' && Object.keys(o).length === 1) return { orNull: normalized(branches[0]) };
  if (Array.isArray(o.type) && o.type.length === 2 && o.type[1] === 'null') {
    const { type, enum: values, ...rest } = o;
    return { orNull: normalized({ ...rest, type: (type as string[])[0], ...(values ? { enum: (values as unknown[]).filter((v) => v !== null) } : {}) }) };
  }
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, normalized(v)]));
}

/** The input schemas as airq served them before this rule set: a `$schema`, open objects (propertyNames), optional properties. */
const OLD_FILTER_TOOL: Schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    query: { type: 'string' },
    filter: { type: 'object', propertyNames: { type: 'string', maxLength: 100 }, additionalProperties: { type: 'string' } },
  },
  required: ['query'],
  additionalProperties: false,
};

describe('tool input schemas for every model provider', () => {
  it('lists all ten tools', () => {
    expect(specs.map((s) => s.name)).toHaveLength(10);
  });

  it('Anthropic takes every tool as it is', () => {
    for (const t of specs) expect(anthropicProblems(t.name, t.inputSchema), t.name).toEqual([]);
  });

  it('Gemini function declarations take every tool as it is: no $schema, additionalProperties or propertyNames', () => {
    for (const t of specs) expect(geminiProblems(t.name, t.inputSchema), t.name).toEqual([]);
  });

  it("OpenAI strict mode takes every tool by the standard rule (all required, optional nullable, closed objects), and the agent's converter does no more", () => {
    for (const t of specs) {
      const standard = standardStrict(t.inputSchema);
      expect(strictProblems(standard), t.name).toEqual([]);
      expect(normalized(toStrictSchema(t.inputSchema)!.parameters), t.name).toEqual(normalized(standard));
    }
  });

  it('bounds every number a model can pass, so no value overflows on its way into the store', () => {
    for (const t of specs)
      for (const [path, s] of walk(t.inputSchema))
        if (s.type === 'number' || s.type === 'integer') expect([typeof s.minimum, typeof s.maximum], `${t.name} ${path}`).toEqual(['number', 'number']);
  });

  it('the rules catch what they are written for: the old shape fails Gemini and OpenAI strict, and a name with a space fails all', () => {
    expect(geminiProblems('search_similar', OLD_FILTER_TOOL)).toEqual(
      expect.arrayContaining([
        "$: field $schema is not in Gemini's Schema",
        "$: field additionalProperties is not in Gemini's Schema",
        "$.filter: field propertyNames is not in Gemini's Schema",
        '$.filter: an object without properties',
      ]),
    );
    expect(strictProblems(OLD_FILTER_TOOL)).toEqual(
      expect.arrayContaining(['$: keyword $schema is not in the strict subset', '$: required must list every property']),
    );
    expect(strictProblems(standardStrict(OLD_FILTER_TOOL))).toEqual(
      expect.arrayContaining(['$.filter: keyword propertyNames is not in the strict subset', '$.filter: additionalProperties must be false']),
    );
    expect(anthropicProblems('search similar', { type: 'object', anyOf: [] })).toHaveLength(2);
    expect(geminiProblems('9tool', { type: ['string', 'null'] })).toHaveLength(2);
  });
});
