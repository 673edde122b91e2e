// toStrictSchema: every airq tool in OpenAI's strict subset, and strict arguments (nulls, {name, value} pairs, JSON text) mapped back so the tool's own schema accepts them.
import { beforeAll, describe, expect, it } from 'vitest';
import { toStrictSchema, type StrictSchema } from '../../src/agent/strict-schema.js';
import { checkArguments } from '../../src/agent/tool-arguments.js';
import type { ToolSpec } from '../../src/agent/types.js';
import { listedToolSpecs, strictProblems } from '../helpers/strict-subset.js';

let specs: ToolSpec[];
beforeAll(async () => {
  specs = await listedToolSpecs();
});

const spec = (name: string) => specs.find((s) => s.name === name)!;
const strictOf = (name: string) => toStrictSchema(spec(name).inputSchema)!;
type Props = Record<string, Record<string, unknown>>;
const props = (s: StrictSchema) => s.parameters.properties as Props;

/** Strict arguments as a strict model writes them: every property present, null for those not given. */
const strictArgs = (s: StrictSchema, given: Record<string, unknown>) => ({ ...Object.fromEntries(Object.keys(props(s)).map((k) => [k, null])), ...given });

/** Maps strict arguments back and validates them with the tool's original schema, as the loop will. */
function backAndCheck(name: string, given: Record<string, unknown>) {
  const s = strictOf(name);
  const back = s.fromStrict(strictArgs(s, given));
  return { back, check: checkArguments(spec(name), JSON.stringify(back)) };
}

describe('toStrictSchema on airq tools', () => {
  it('gives every tool a schema in the strict subset: all properties required, closed objects, no unsupported keywords', () => {
    expect(specs.length).toBeGreaterThanOrEqual(10);
    for (const t of specs) {
      const s = toStrictSchema(t.inputSchema);
      expect(s, t.name).toBeDefined();
      expect(strictProblems(s!.parameters), t.name).toEqual([]);
    }
  });

  it('makes optional arguments nullable and drops null back out, so the original schema accepts the call', () => {
    const s = strictOf('get_air_quality_forecast');
    expect(props(s).end_date).toMatchObject({ type: ['string', 'null'], pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
    expect(props(s).location!.type).toBe('string'); // required stays non-null
    const { back, check } = backAndCheck('get_air_quality_forecast', { location: 'synthetic-city', start_date: '2024-07-01' });
    expect(back).toEqual({ location: 'synthetic-city', start_date: '2024-07-01' });
    expect(check.ok).toBe(true);
    // Without the mapping, strict arguments would fail the tool's schema.
    expect(checkArguments(spec('get_air_quality_forecast'), JSON.stringify(strictArgs(s, { location: 'synthetic-city' }))).ok).toBe(false);
  });

  it('turns an open key/value object into {name, value} pairs and rebuilds the object', () => {
    // airq's own tools have none (list pairs serve every provider); another MCP server's tool may.
    const open = {
      type: 'object',
      properties: {
        filter: { type: 'object', description: 'Column equality filter.', additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }] } },
      },
    };
    const s = toStrictSchema(open)!;
    const filter = props(s).filter!;
    const pairs = (filter.anyOf as Props[])[0]!;
    expect(pairs).toMatchObject({ type: 'array', items: { type: 'object', required: ['name', 'value'], additionalProperties: false } });
    expect(filter.description).toMatch(/Column equality filter.*"name".*"value"/);
    expect(strictProblems(s.parameters)).toEqual([]);
    const back = s.fromStrict({
      filter: [
        { name: 'doc_id', value: 'who-guidelines' },
        { name: 'year', value: 2021 },
      ],
    });
    expect(back).toEqual({ filter: { doc_id: 'who-guidelines', year: 2021 } });
  });

  it('passes the {column, value} pairs of get_feature_vector through, and leaves a vector query (the other branch of its union) alone', () => {
    const entity = [{ column: 'location_id', value: 'synthetic-city' }];
    const { back, check } = backAndCheck('get_feature_vector', { feature_view: 'pm25_state', entity });
    expect(back).toEqual({ feature_view: 'pm25_state', entity });
    expect(check.ok).toBe(true);
    const vector = backAndCheck('search_similar', { feature_group: 'day_patterns', query: [0.5, 1, 2] });
    expect(vector.back).toEqual({ feature_group: 'day_patterns', query: [0.5, 1, 2] });
    expect(vector.check.ok).toBe(true);
  });

  it('keeps the limits strict mode supports and tells the dropped ones in the description', () => {
    const s = strictOf('search_similar');
    expect(props(s).k).toMatchObject({ type: ['integer', 'null'], minimum: 1, maximum: 50 });
    expect(props(s).k!.description).toBe('How many rows (1-50, default 5).'); // says its default already
    expect(props(s).feature_group!.description).toMatch(/\(1-100 characters\)$/);
    expect(props(s).feature_group).not.toHaveProperty('minLength');
    expect(JSON.stringify(s.parameters)).not.toMatch(/"(\$schema|propertyNames|minLength|maxLength|default)"/);
  });

  it('keeps every property an add_place call can leave out optional (nothing is required there)', () => {
    const { back, check } = backAndCheck('add_place', { name: 'Berlin Neukölln' });
    expect(back).toEqual({ name: 'Berlin Neukölln' });
    expect(check.ok).toBe(true);
  });
});

describe('toStrictSchema on other schemas an MCP server may send', () => {
  const obj = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', properties, required, additionalProperties: false });

  it('maps nested objects and arrays of objects back, and keeps null where the original allows it', () => {
    const s = toStrictSchema(
      obj(
        {
          stops: { type: 'array', items: obj({ place: { type: 'string' }, note: { type: 'string' } }, ['place']) },
          unit: { type: 'string', enum: ['ugm3', 'aqi'] },
          comment: { type: ['string', 'null'] },
        },
        ['stops', 'comment'],
      ),
    )!;
    expect(strictProblems(s.parameters)).toEqual([]);
    expect(props(s).unit).toEqual({ anyOf: [{ type: 'string', enum: ['ugm3', 'aqi'] }, { type: 'null' }] });
    expect(s.fromStrict({ stops: [{ place: 'a', note: null }], unit: null, comment: null })).toEqual({ stops: [{ place: 'a' }], comment: null });
  });

  it('sends values of any type as JSON text and parses them back', () => {
    const s = toStrictSchema(obj({ options: { type: 'object', additionalProperties: true, description: 'Anything.' }, extra: {} }, ['options']))!;
    expect(strictProblems(s.parameters)).toEqual([]);
    expect(props(s).options).toEqual({ type: 'string', description: 'Anything. (JSON, written as a string)' });
    expect(s.fromStrict({ options: '{"a": [1, {"b": true}]}', extra: '"x"' })).toEqual({ options: { a: [1, { b: true }] }, extra: 'x' });
    expect(s.fromStrict({ options: 'not json', extra: null })).toEqual({ options: 'not json' }); // the tool's validation will say so
  });

  it('inlines local $refs, turns oneOf into anyOf, and maps records inside a union back', () => {
    const s = toStrictSchema({
      type: 'object',
      $defs: { Tags: { type: 'object', additionalProperties: { type: 'string' }, maxProperties: 5 } },
      properties: { tags: { oneOf: [{ $ref: '#/$defs/Tags' }, { type: 'string' }] } },
      required: ['tags'],
    })!;
    expect(strictProblems(s.parameters)).toEqual([]);
    expect((props(s).tags!.anyOf as Props[])[0]).toMatchObject({ type: 'array', maxItems: 5 });
    expect(s.fromStrict({ tags: [{ name: 'a', value: 'b' }] })).toEqual({ tags: { a: 'b' } });
    expect(s.fromStrict({ tags: 'plain' })).toEqual({ tags: 'plain' });
    expect(s.fromStrict({ tags: 'plain', unknown: 1 })).toEqual({ tags: 'plain', unknown: 1 }); // not ours to drop
  });

  it('describes unsupported formats and keeps supported ones', () => {
    const s = toStrictSchema(obj({ when: { type: 'string', format: 'date' }, site: { type: 'string', format: 'uri', default: 'https://x' } }, ['when']))!;
    expect(props(s).when).toEqual({ type: 'string', format: 'date' });
    expect(props(s).site).toEqual({ type: ['string', 'null'], description: '(format: uri; default: "https://x")' });
  });

  it('gives up (the tool goes without strict) on what strict mode cannot express', () => {
    expect(toStrictSchema(obj({ a: { allOf: [{ type: 'string' }, { minLength: 2 }] } }))).toBeUndefined();
    expect(toStrictSchema(obj({ a: { type: 'string', not: { const: 'x' } } }))).toBeUndefined();
    expect(toStrictSchema({ anyOf: [obj({}), obj({ a: { type: 'string' } })] })).toBeUndefined(); // the root must be an object
    expect(toStrictSchema({ type: 'object' })).toBeUndefined(); // any object at the root
    const recursive = { type: 'object', $defs: { Node: obj({ next: { $ref: '#/$defs/Node' } }) }, properties: { head: { $ref: '#/$defs/Node' } } };
    expect(toStrictSchema(recursive)).toBeUndefined();
  });

  it('leaves arguments it cannot read as they are, for validation to report', () => {
    const s = strictOf('get_feature_vector');
    expect(s.fromStrict('nonsense')).toBe('nonsense');
    expect(s.fromStrict({ feature_view: 'v', entity: 'x' })).toEqual({ feature_view: 'v', entity: 'x' });
  });
});
