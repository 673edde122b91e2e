// What each major model provider's function calling takes as a tool's name and parameters, written down from its documentation, as checks that list every breach.

type Schema = Record<string, unknown>;
const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Anthropic Messages API, tool use ("Define tools"): `name` matches ^[a-zA-Z0-9_-]{1,64}$; `input_schema` is a JSON Schema
 * whose root is `type: "object"`; the API refuses oneOf, allOf or anyOf at the root, and resolves no remote `$ref`.
 */
export function anthropicProblems(name: string, schema: Schema): string[] {
  const out: string[] = [];
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) out.push(`name ${name} breaks ^[a-zA-Z0-9_-]{1,64}$`);
  if (schema.type !== 'object') out.push('$: the root must be type object');
  for (const k of ['oneOf', 'allOf', 'anyOf']) if (k in schema) out.push(`$: ${k} at the root`);
  const refs = JSON.stringify(schema).match(/"\$ref":"(?!#)[^"]*"/g);
  if (refs) out.push(`$: remote $ref ${refs.join(', ')}`);
  return out;
}

/**
 * Gemini API, function calling (`FunctionDeclaration.parameters`, a `Schema` object: a subset of the OpenAPI 3.0 schema).
 * The name starts with a letter or underscore and has up to 64 of a-z A-Z 0-9 _ . : -. A Schema has only the fields below;
 * `type` is one of six names (no type lists: `nullable` says null); `enum` goes with strings; `format` is enum or date-time
 * for strings, float or double for numbers, int32 or int64 for integers; an array has `items`; an object below the root
 * has `properties` (an empty one is refused), and `required` names only its properties.
 */
const GEMINI_FIELDS = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'maxItems',
  'minItems',
  'properties',
  'required',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'example',
  'anyOf',
  'propertyOrdering',
  'default',
  'items',
  'minimum',
  'maximum',
]);
const GEMINI_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);
const GEMINI_FORMATS: Record<string, string[]> = { string: ['enum', 'date-time'], number: ['float', 'double'], integer: ['int32', 'int64'] };

export function geminiProblems(name: string, schema: Schema): string[] {
  const out = /^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$/.test(name) ? [] : [`name ${name} breaks Gemini's function name rule`];
  return [...out, ...geminiSchemaProblems(schema, '$', true)];
}

function geminiSchemaProblems(s: unknown, path: string, root = false): string[] {
  if (!isSchema(s)) return [`${path}: not a schema object`];
  const out = Object.keys(s)
    .filter((k) => !GEMINI_FIELDS.has(k))
    .map((k) => `${path}: field ${k} is not in Gemini's Schema`);
  const type = s.type;
  if (type === undefined && !Array.isArray(s.anyOf)) out.push(`${path}: no type`);
  if (type !== undefined && (typeof type !== 'string' || !GEMINI_TYPES.has(type))) out.push(`${path}: type ${JSON.stringify(type)}`);
  if (s.enum !== undefined && type !== 'string') out.push(`${path}: enum on a ${String(type)}`);
  if (s.format !== undefined && !(GEMINI_FORMATS[type as string] ?? []).includes(s.format as string)) out.push(`${path}: format ${String(s.format)}`);
  if (type === 'array') out.push(...(s.items === undefined ? [`${path}: an array without items`] : geminiSchemaProblems(s.items, `${path}[]`)));
  if (type === 'object') {
    const props = isSchema(s.properties) ? s.properties : {};
    if (!root && Object.keys(props).length === 0) out.push(`${path}: an object without properties`);
    for (const r of (s.required as string[] | undefined) ?? []) if (!(r in props)) out.push(`${path}: required ${r} is not a property`);
    for (const [k, v] of Object.entries(props)) out.push(...geminiSchemaProblems(v, `${path}.${k}`));
  }
  if (Array.isArray(s.anyOf)) s.anyOf.forEach((b, i) => out.push(...geminiSchemaProblems(b, `${path}|${i}`)));
  return out;
}

/**
 * OpenAI's strict mode by its standard rule (the structured-outputs guide): every property listed in `required`, an
 * optional one made nullable, every object closed with additionalProperties false, and the keywords strict mode lacks
 * (string lengths, defaults, titles) left out: the server still enforces them. Nothing else is rewritten, so a schema
 * whose standard form passes the strict subset converts losslessly.
 */
const STRICT_LACKS = new Set(['minLength', 'maxLength', 'default', 'title']);

export function standardStrict(s: unknown): unknown {
  if (!isSchema(s)) return s;
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    if (STRICT_LACKS.has(k)) continue;
    if (k === 'properties' && isSchema(v)) {
      const required = new Set((s.required as string[] | undefined) ?? []);
      out.properties = Object.fromEntries(Object.entries(v).map(([name, p]) => [name, required.has(name) ? standardStrict(p) : nullable(standardStrict(p))]));
    } else if (k === 'items') out.items = standardStrict(v);
    else if (k === 'anyOf' && Array.isArray(v)) out.anyOf = v.map(standardStrict);
    else out[k] = v;
  }
  if (out.type === 'object' || 'properties' in out) {
    out.required = Object.keys((out.properties as Schema | undefined) ?? {});
    // An open object stays open: closing it would change what it accepts (strict mode then refuses it).
    if (!isSchema(out.additionalProperties)) out.additionalProperties = false;
  }
  return out;
}

function nullable(s: unknown): unknown {
  if (!isSchema(s)) return s;
  if (typeof s.type === 'string') return { ...s, type: [s.type, 'null'], ...(Array.isArray(s.enum) ? { enum: [...s.enum, null] } : {}) };
  if (Array.isArray(s.anyOf)) return { ...s, anyOf: [...s.anyOf, { type: 'null' }] };
  return { anyOf: [s, { type: 'null' }] };
}
