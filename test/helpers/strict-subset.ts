// Checks a JSON Schema against OpenAI's strict subset (as its structured-outputs guide states it), and lists airq's tools as an MCP client sees them.
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import type { ToolSpec } from '../../src/agent/types.js';
import type { Moments } from '../../src/airquality/services/moment.js';
import { silentLogger } from '../../src/core/logger.js';
import { HashingEmbedder } from '../../src/embed/hashing.js';
import { createMcpServer } from '../../src/mcp/server.js';

const ALLOWED = new Set([
  'type',
  'description',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'anyOf',
  'enum',
  'const',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
]);
const FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']);

/** Every way `schema` breaks the strict subset, as "path: problem" lines (none: strict mode takes it). */
export function strictProblems(schema: unknown, path = '$'): string[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return [`${path}: not a schema object`];
  const s = schema as Record<string, unknown>;
  const out = Object.keys(s)
    .filter((k) => !ALLOWED.has(k))
    .map((k) => `${path}: keyword ${k} is not in the strict subset`);
  if (path === '$' && s.type !== 'object') out.push('$: the root must be an object');
  if (typeof s.format === 'string' && !FORMATS.has(s.format)) out.push(`${path}: format ${s.format} is not supported`);
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes('object') || 'properties' in s) {
    const keys = Object.keys((s.properties as Record<string, unknown>) ?? {});
    if (s.additionalProperties !== false) out.push(`${path}: additionalProperties must be false`);
    if (JSON.stringify([...((s.required as string[]) ?? [])].sort()) !== JSON.stringify([...keys].sort()))
      out.push(`${path}: required must list every property`);
    for (const k of keys) out.push(...strictProblems((s.properties as Record<string, unknown>)[k], `${path}.${k}`));
  }
  if (types.includes('array')) out.push(...strictProblems(s.items, `${path}[]`));
  if (Array.isArray(s.anyOf)) s.anyOf.forEach((b, i) => out.push(...strictProblems(b, `${path}|${i}`)));
  return out;
}

/** airq's tools (the writing add_place too), listed by airq's MCP server through a real MCP client: the schemas exactly as clients and the agent receive them. */
export async function listedToolSpecs(): Promise<ToolSpec[]> {
  const noStore: Moments = () => Promise.reject(new Error('listing only'));
  const server = createMcpServer({ version: '1', log: silentLogger, moments: noStore, embedder: async () => new HashingEmbedder(), allowWrites: true });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const client = new Client({ name: 'airq-schemas-test', version: '1' });
  await client.connect(b);
  try {
    const { tools } = await client.listTools();
    return tools.map((t) => ({ name: t.name, description: t.description ?? '', inputSchema: t.inputSchema as Record<string, unknown> }));
  } finally {
    await client.close();
    await server.close();
  }
}
