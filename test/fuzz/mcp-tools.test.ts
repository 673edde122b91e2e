// Fuzz: every tool the MCP server lists, called through a real client with arguments drawn from its own input schema
// (hostile strings, impossible dates, edge numbers) and with random JSON. Each call ends in a result or a typed tool
// error, never a protocol failure, a stack trace or an internal error; the store is the same afterwards.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureStore } from '../../src/store/index.js';
import { ERROR_META_KEY, type ToolFailure } from '../../tools/errors.js';
import { toolClient, type ToolClient } from '../helpers/tool-client.js';
import { copyStoreForFile, removeStoreCopy, syntheticStore } from '../helpers/stores.js';
import { check, hostileNumber, hostileString, JS_INTERNAL, PROTO_NAMES, STACK_LINE, storeFingerprint } from './fuzz.js';

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
}

/** Names the store holds, so that generated arguments often mean something. */
interface Vocabulary {
  groups: string[];
  views: string[];
  columns: string[];
}

const DAY = 86_400_000;
/** Days around the synthetic store's today (2024-06-30), and impossible ones. */
const someDate = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -400, max: 10 }).map((d) => new Date(Date.parse('2024-06-30') + d * DAY).toISOString().slice(0, 10)) },
  { weight: 1, arbitrary: fc.constantFrom('2024-13-45', '2024-02-30', '1900-01-01', '9999-12-31', '0000-01-01', '2024-6-1', '20240601') },
);

/** A plausible string for a property, chosen by its name. */
function plausible(name: string, v: Vocabulary): fc.Arbitrary<unknown> {
  if (/date/.test(name)) return someDate;
  if (/location/.test(name)) return fc.constantFrom('synthetic-city', 'Synthetic City', 'synthetic', 'SYNTHETIC-CITY', 'city');
  if (name === 'feature_view') return fc.constantFrom(...v.views, 'nope');
  if (name === 'feature_group') return fc.constantFrom(...v.groups, 'nope');
  if (name === 'column') return fc.constantFrom(...v.columns);
  if (name === 'query') return fc.oneof(fc.constantFrom('what is PM2.5?', 'WHO guideline', 'wind'), fc.string({ minLength: 1, maxLength: 60 }));
  if (name === 'value') return fc.oneof(fc.constantFrom('synthetic-city', '2024-06-30', 'who-guidelines'), fc.integer({ min: -5, max: 500 }), fc.boolean());
  return fc.constantFrom(...v.columns, ...v.groups);
}

/** Values for a JSON Schema: mostly plausible, sometimes hostile (text, edge numbers), now and then anything at all. */
function fromSchema(s: JsonSchema, name: string, v: Vocabulary, depth = 0): fc.Arbitrary<unknown> {
  const wild = fc.oneof(fc.jsonValue({ maxDepth: 2 }), hostileString, hostileNumber);
  return fc.oneof(
    { weight: 12, arbitrary: shaped(s, name, v, depth, true) },
    { weight: 3, arbitrary: shaped(s, name, v, depth, false) },
    { weight: 1, arbitrary: wild },
  );
}

function shaped(s: JsonSchema, name: string, v: Vocabulary, depth: number, nice: boolean): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return nice ? fc.constantFrom(...s.enum) : hostileString;
  const branches = s.anyOf ?? s.oneOf;
  if (branches) return fc.oneof(...branches.map((b) => fromSchema(b, name, v, depth + 1)));
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'string':
      return nice ? plausible(name, v) : fc.oneof(hostileString, fc.constantFrom(...PROTO_NAMES));
    case 'integer':
    case 'number': {
      const lo = s.minimum ?? -1000;
      const hi = s.maximum ?? 1000;
      if (nice) return type === 'integer' ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) }) : fc.double({ min: lo, max: hi, noNaN: true });
      return fc.oneof(fc.constantFrom(lo - 1, hi + 1, lo + 0.5, -0), hostileNumber);
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 3 ? fc.constant([]) : fc.array(fromSchema(s.items ?? {}, name, v, depth + 1), { minLength: nice ? 1 : 0, maxLength: 4 });
    case 'object': {
      const props = s.properties ?? {};
      if (depth > 3 || Object.keys(props).length === 0)
        return fc.dictionary(fc.constantFrom(...PROTO_NAMES, 'x'), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
      return objectOf(s, v, depth + 1, nice);
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** An object of the schema's properties; the required ones present when `nice`, and then and again extra keys. */
function objectOf(s: JsonSchema, v: Vocabulary, depth: number, nice: boolean): fc.Arbitrary<Record<string, unknown>> {
  const props = s.properties ?? {};
  const record = fc.record(Object.fromEntries(Object.entries(props).map(([k, p]) => [k, fromSchema(p, k, v, depth)])), {
    requiredKeys: nice ? (s.required ?? []).filter((k) => k in props) : [],
  });
  const extra = fc.dictionary(fc.constantFrom(...PROTO_NAMES, 'extra'), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 });
  return fc.tuple(record, extra, fc.integer({ min: 0, max: 9 })).map(([r, x, dice]) => (dice === 0 ? { ...x, ...r } : (r as Record<string, unknown>)));
}

/** A tool's arguments: mostly from its schema (so most calls reach airq's own code), sometimes any object at all. */
function argumentsFor(schema: JsonSchema, v: Vocabulary): fc.Arbitrary<Record<string, unknown>> {
  const props = schema.properties ?? {};
  const anything = fc.dictionary(fc.oneof(fc.constantFrom(...Object.keys(props), ...PROTO_NAMES), hostileString), fc.jsonValue({ maxDepth: 2 }), {
    maxKeys: 4,
  });
  return fc.oneof({ weight: 9, arbitrary: objectOf(schema, v, 0, true) }, { weight: 1, arbitrary: anything });
}

/** A call's result as the client got it: an answer, airq's typed failure, or the SDK's refusal of the input. */
function expectWellFormed(tool: string, args: unknown, r: Awaited<ReturnType<ToolClient['call']>>): void {
  const text = r.content.map((c) => c.text).join('\n');
  const what = `${tool}(${JSON.stringify(args).slice(0, 300)}): ${text.slice(0, 300)}`;
  expect(text, what).not.toMatch(STACK_LINE);
  expect(text, what).not.toMatch(JS_INTERNAL);
  if (!r.isError) {
    expect(r.structuredContent, what).toBeDefined();
    return;
  }
  const failure = r._meta?.[ERROR_META_KEY] as ToolFailure | undefined;
  if (failure === undefined) {
    // The SDK refused the arguments against the listed schema before airq ran.
    expect(text, what).toMatch(/^Input validation error: Invalid arguments for tool /);
    return;
  }
  expect(['VALIDATION', 'NOT_FOUND', 'CONFLICT', 'USAGE'], what).toContain(failure.code);
  expect(failure.message.length, what).toBeGreaterThan(0);
  expect(failure.message.length, what).toBeLessThanOrEqual(2_000);
}

async function vocabularyOf(dir: string): Promise<Vocabulary> {
  const store = await FeatureStore.open({ dir, readOnly: true });
  try {
    const groups = store.listFeatureGroups();
    const columns = [...new Set(groups.flatMap((g) => (g.meta.schema ?? []).map((f) => f.name)))];
    return { groups: groups.map((g) => g.name), views: store.listFeatureViews().map((f) => f.name), columns };
  } finally {
    await store.close();
  }
}

describe('fuzz: MCP tool inputs', () => {
  let dir: string;
  let before: string;
  let client: ToolClient;
  let tools: { name: string; inputSchema: JsonSchema }[];
  let vocabulary: Vocabulary;

  beforeAll(async () => {
    dir = copyStoreForFile(syntheticStore());
    before = await storeFingerprint(dir);
    vocabulary = await vocabularyOf(dir);
    client = await toolClient(dir);
    tools = (await client.client.listTools()).tools as typeof tools;
  });
  afterAll(async () => {
    await client?.close();
    // A change to the store would show once the server is gone.
    if (dir) expect(await storeFingerprint(dir)).toBe(before);
    removeStoreCopy(dir);
  });

  it('lists the read-only tools', () => {
    expect(tools.map((t) => t.name)).toContain('get_air_quality_history');
    expect(tools.map((t) => t.name)).not.toContain('add_place');
  });

  it('every tool, arguments drawn from its own schema: a result or a typed error', async () => {
    for (const tool of tools) {
      await check(
        `mcp ${tool.name}`,
        fc.asyncProperty(argumentsFor(tool.inputSchema, vocabulary), async (args) => {
          expectWellFormed(tool.name, args, await client.call(tool.name, args));
        }),
        40,
      );
    }
  });

  it('unknown tools and arguments that are not an object: an error, and the server keeps answering', async () => {
    const name = fc.oneof(
      fc.constantFrom(...tools.map((t) => t.name), ...PROTO_NAMES),
      hostileString.map((x) => x.slice(0, 300)),
    );
    await check(
      'mcp names',
      fc.asyncProperty(name, fc.jsonValue({ maxDepth: 2 }), async (tool, args) => {
        let r;
        try {
          r = await client.client.callTool({ name: tool, arguments: args as Record<string, unknown> });
        } catch (e) {
          // The client itself refuses to send arguments that are not an object; the server saw nothing.
          expect(String(e)).not.toMatch(JS_INTERNAL);
          return;
        }
        const text = (r.content as { text?: string }[]).map((c) => c.text ?? '').join('\n');
        expect(text).not.toMatch(STACK_LINE);
        expect(text).not.toMatch(JS_INTERNAL);
      }),
      60,
    );
    expect((await client.call('list_locations', {})).isError).toBeFalsy();
  });
});
