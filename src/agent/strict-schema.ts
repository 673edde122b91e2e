// OpenAI strict function calling: a tool's JSON Schema rewritten into the subset strict mode accepts, and the model's strict arguments mapped back to the shape the tool's own schema validates.

type Schema = Record<string, unknown>;

/** A schema in strict form and the way back from a value of it. */
interface Node {
  schema: Schema;
  back: (value: unknown) => unknown;
}

export interface StrictSchema {
  /** The function's parameters, to send with `strict: true`. */
  parameters: Schema;
  /** Strict arguments (null for an omitted optional, {name, value} pairs for an open object, JSON text for an any-value) in the original shape. */
  fromStrict(args: unknown): unknown;
}

/**
 * What OpenAI's structured-outputs guide lists as supported besides structure: string `pattern` and `format` (the formats
 * below), number `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, array `minItems`, `maxItems`.
 * Everything else is dropped (the limits that change what is valid are told in the description instead); the tool's own
 * schema still validates every call before the tool runs.
 */
const KEPT = ['type', 'enum', 'const', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems'];
const FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']);
/** The guide's unsupported composition keywords, and tuples: a tool that uses them goes without strict. */
const NOT_STRICT = ['allOf', 'not', 'if', 'then', 'else', 'dependentRequired', 'dependentSchemas', 'prefixItems', 'unevaluatedProperties', 'unevaluatedItems'];

/** The schema cannot be made strict: send the tool as it is, without strict. */
class NotStrict extends Error {}
/** A value of any type: strict mode cannot describe it, so it travels as JSON text. */
class AnyValue extends Error {}

interface Ctx {
  root: Schema;
  refs: string[];
}

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);
const identity = (v: unknown) => v;

/** The strict form of a tool's input schema; undefined when strict mode cannot express it (the tool is then sent without strict). */
export function toStrictSchema(inputSchema: Schema): StrictSchema | undefined {
  try {
    const node = convert(inputSchema, { root: inputSchema, refs: [] });
    if (node.schema.type !== 'object' || !isObject(node.schema.properties)) return undefined; // the root must be a closed object
    return { parameters: node.schema, fromStrict: node.back };
  } catch (e) {
    if (e instanceof NotStrict || e instanceof AnyValue) return undefined;
    throw e;
  }
}

/** Follows a local $ref (`#/$defs/X`, `#/definitions/X`); a recursive one is not made strict. */
function resolve(input: unknown, ctx: Ctx): { s: Schema; ctx: Ctx } {
  if (input === true || input === undefined || (isObject(input) && Object.keys(input).length === 0)) throw new AnyValue();
  if (!isObject(input)) throw new NotStrict('not a schema');
  const ref = input.$ref;
  if (typeof ref !== 'string') return { s: input, ctx };
  const m = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref);
  const target = m ? (ctx.root[m[1]!] as Schema | undefined)?.[decodeURIComponent(m[2]!)] : undefined;
  if (!isObject(target) || ctx.refs.includes(ref)) throw new NotStrict(`$ref ${ref}`);
  const siblings = Object.fromEntries(Object.entries(input).filter(([k]) => k !== '$ref'));
  return resolve({ ...target, ...siblings }, { ...ctx, refs: [...ctx.refs, ref] });
}

function convert(input: unknown, outer: Ctx): Node {
  const { s, ctx } = resolve(input, outer);
  for (const k of NOT_STRICT) if (k in s) throw new NotStrict(k);
  const branches = s.anyOf ?? s.oneOf;
  if (Array.isArray(branches)) return union(s, branches, ctx);
  const types = typesOf(s);
  if (types.length > 1 && (types.includes('object') || types.includes('array')))
    return union(
      s,
      types.map((type) => ({ ...s, type })),
      ctx,
    );
  if (types[0] === 'object') return object(s, ctx);
  if (types[0] === 'array') return array(s, ctx);
  if (types.length === 0 && !('enum' in s) && !('const' in s)) throw new AnyValue();
  return { schema: kept(s), back: identity };
}

function typesOf(s: Schema): string[] {
  if (typeof s.type === 'string') return [s.type];
  if (Array.isArray(s.type)) return s.type as string[];
  if ('properties' in s || 'additionalProperties' in s || 'propertyNames' in s || 'patternProperties' in s) return ['object'];
  if ('items' in s) return ['array'];
  return [];
}

/** A property: what has no strict form of its own (any value, an object that is both fixed and open) goes as JSON text. */
function property(input: unknown, ctx: Ctx): Node {
  try {
    return convert(input, ctx);
  } catch (e) {
    if (!(e instanceof AnyValue)) throw e;
    const description = isObject(input) && typeof input.description === 'string' ? `${input.description} ` : '';
    return {
      schema: { type: 'string', description: `${description}(JSON, written as a string)` },
      back: (v) => (typeof v === 'string' ? parseOr(v) : v),
    };
  }
}

const parseOr = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

function object(s: Schema, ctx: Ctx): Node {
  const props = isObject(s.properties) ? s.properties : undefined;
  const open = (s.additionalProperties !== undefined && s.additionalProperties !== false) || 'patternProperties' in s;
  if (!props) {
    if (open || 'propertyNames' in s) return map(s, ctx);
    if (s.additionalProperties !== false) throw new AnyValue(); // {type: object} alone: any object
  }
  if (open && props && Object.keys(props).length > 0) throw new AnyValue(); // fixed keys and free ones: strict cannot say both
  if (open) return map(s, ctx);
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  const nodes: Record<string, Node> = {};
  const properties: Schema = {};
  for (const [key, p] of Object.entries(props ?? {})) {
    nodes[key] = property(p, ctx);
    properties[key] = required.has(key) ? nodes[key].schema : nullable(nodes[key].schema);
  }
  return {
    schema: { type: 'object', ...described(s), properties, required: Object.keys(properties), additionalProperties: false },
    back: (v) => {
      if (!isObject(v)) return v;
      const out: Schema = {};
      for (const [key, x] of Object.entries(v)) {
        if (x === null && !required.has(key)) continue; // strict mode's way of leaving an optional argument out
        out[key] = nodes[key] ? nodes[key].back(x) : x;
      }
      return out;
    },
  };
}

/** An open key/value object (a record): strict mode has no free keys, so it becomes a list of {name, value} pairs. */
function map(s: Schema, ctx: Ctx): Node {
  if (!isObject(s.additionalProperties) || 'patternProperties' in s) throw new AnyValue();
  const value = convert(s.additionalProperties, ctx);
  const name = isObject(s.propertyNames) ? convert({ type: 'string', ...s.propertyNames }, ctx).schema : { type: 'string' };
  const pairs = {
    type: 'object',
    properties: { name: { ...name, description: joined('The key.', name.description) }, value: value.schema },
    required: ['name', 'value'],
    additionalProperties: false,
  };
  const { description } = described(s);
  const limits = {
    ...(typeof s.minProperties === 'number' ? { minItems: s.minProperties } : {}),
    ...(typeof s.maxProperties === 'number' ? { maxItems: s.maxProperties } : {}),
  };
  return {
    schema: { type: 'array', description: joined(description, 'Written as a list of {"name": key, "value": value} pairs.'), items: pairs, ...limits },
    back: (v) => {
      if (!Array.isArray(v) || !v.every((p) => isObject(p) && typeof p.name === 'string')) return v; // validation says what is wrong
      return Object.fromEntries((v as Schema[]).map((p) => [p.name as string, value.back(p.value)]));
    },
  };
}

function array(s: Schema, ctx: Ctx): Node {
  if (Array.isArray(s.items)) throw new NotStrict('tuple items');
  const items = convert(s.items, ctx);
  return {
    schema: { ...kept(s), items: items.schema },
    back: (v) => (Array.isArray(v) ? v.map(items.back) : v),
  };
}

function union(s: Schema, branches: unknown[], ctx: Ctx): Node {
  const nodes = branches.map((b) => convert(b, ctx));
  return {
    schema: { anyOf: nodes.map((n) => n.schema), ...described(s) },
    back: (v) => (nodes.find((n) => accepts(n.schema, v))?.back ?? identity)(v),
  };
}

/** Which branch of a union a value came from, by its JSON type (enough to pick the way back). */
function accepts(s: Schema, v: unknown): boolean {
  if (Array.isArray(s.anyOf)) return (s.anyOf as Schema[]).some((b) => accepts(b, v));
  if ('const' in s) return s.const === v;
  if (Array.isArray(s.enum)) return s.enum.includes(v);
  const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
  return types.some((t) =>
    t === 'null' ? v === null : t === 'array' ? Array.isArray(v) : t === 'object' ? isObject(v) : t === 'integer' ? Number.isInteger(v) : typeof v === t,
  );
}

/** Strict mode's optional: the property is required and may be null. */
function nullable(schema: Schema): Schema {
  const t = schema.type;
  const simple = typeof t === 'string' && t !== 'object' && t !== 'array' && !('enum' in schema) && !('const' in schema);
  if (simple) return { ...schema, type: [t, 'null'] };
  if (Array.isArray(t) && !('enum' in schema) && !('const' in schema) && !t.includes('object') && !t.includes('array'))
    return { ...schema, type: [...new Set([...(t as string[]), 'null'])] };
  if (Array.isArray(schema.anyOf)) return { ...schema, anyOf: [...schema.anyOf, { type: 'null' }] };
  const { description, ...rest } = schema;
  return { anyOf: [rest, { type: 'null' }], ...(description === undefined ? {} : { description }) };
}

/** The keywords strict mode keeps, and the description with the dropped limits told in words. */
function kept(s: Schema): Schema {
  const out: Schema = {};
  for (const k of KEPT) if (k in s) out[k] = s[k];
  if (typeof s.format === 'string' && FORMATS.has(s.format)) out.format = s.format;
  return { ...out, ...described(s) };
}

function described(s: Schema): { description?: string } {
  const notes: string[] = [];
  const min = s.minLength as number | undefined;
  const max = s.maxLength as number | undefined;
  if (min !== undefined && max !== undefined) notes.push(`${min}-${max} characters`);
  else if (max !== undefined) notes.push(`at most ${max} characters`);
  else if (min !== undefined) notes.push(`at least ${min} characters`);
  if (typeof s.format === 'string' && !FORMATS.has(s.format)) notes.push(`format: ${s.format}`);
  if (s.uniqueItems === true) notes.push('no duplicates');
  if (typeof s.minProperties === 'number' && isObject(s.properties)) notes.push(`at least ${s.minProperties} keys`);
  if (typeof s.maxProperties === 'number' && isObject(s.properties)) notes.push(`at most ${s.maxProperties} keys`);
  const description = typeof s.description === 'string' ? s.description : undefined;
  if ('default' in s && !/default/i.test(description ?? '')) notes.push(`default: ${JSON.stringify(s.default)}`);
  const text = joined(description, notes.length > 0 ? `(${notes.join('; ')})` : undefined);
  return text === undefined ? {} : { description: text };
}

const joined = (a: unknown, b: unknown): string | undefined => [a, b].filter((x): x is string => typeof x === 'string' && x !== '').join(' ') || undefined;
