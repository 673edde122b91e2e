// The agent's MCP client compiles a tool's output schema when that tool is first called, refuses a tool whose schema
// does not compile before the tool runs, and still rejects results that break a schema.
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';
import type { JsonSchemaType, jsonSchemaValidator } from '@modelcontextprotocol/client';
import { InMemoryTransport, Server } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { agentClient, LazyValidator, McpTools } from '../../src/agent/mcp-tools.js';

/** The SDK's Ajv validator, counting the schemas it compiles. */
function countingAjv(): { inner: jsonSchemaValidator; compiled: () => number } {
  const ajv = new AjvJsonSchemaValidator();
  let n = 0;
  return {
    inner: { getValidator: <T>(schema: JsonSchemaType) => (n++, ajv.getValidator<T>(schema)) },
    compiled: () => n,
  };
}

const SCHEMA = { type: 'object' as const, properties: { pm25: { type: 'number' as const } }, required: ['pm25'] };

/** A server with one tool of the given output schema, answering `result`; `ran` counts its calls. */
async function toolsWith(outputSchema: { type: 'object'; [k: string]: unknown }, result: Record<string, unknown>) {
  const state = { ran: 0 };
  const server = new Server({ name: 'test', version: '1' }, { capabilities: { tools: {} } });
  server.setRequestHandler('tools/list', async () => ({ tools: [{ name: 'reading', inputSchema: { type: 'object' }, outputSchema }] }));
  server.setRequestHandler('tools/call', async () => {
    state.ran++;
    return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
  });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const { client, validator } = agentClient();
  await client.connect(b);
  return { tools: new McpTools(client, () => server.close(), validator), state };
}

describe('LazyValidator', () => {
  it('compiles a schema on its first use, once, however many validators ask for it', () => {
    const { inner, compiled } = countingAjv();
    const lazy = new LazyValidator(inner);
    const validators = [lazy.getValidator(SCHEMA), lazy.getValidator({ type: 'string' }), lazy.getValidator({ ...SCHEMA })];
    expect(compiled()).toBe(0);
    expect(validators[0]!({ pm25: 12 })).toMatchObject({ valid: true, data: { pm25: 12 } });
    expect(validators[2]!({ pm25: 13 }).valid).toBe(true);
    expect(compiled()).toBe(1);
  });

  it('rejects what breaks the schema, as the SDK validator does', () => {
    const r = new LazyValidator().getValidator(SCHEMA)({ pm25: 'high' });
    expect(r.valid).toBe(false);
    expect(r.errorMessage).toMatch(/pm25/);
  });
});

describe('McpTools with the lazy validator', () => {
  it('calls a tool and checks its result against its schema', async () => {
    const ok = await toolsWith(SCHEMA, { pm25: 12 });
    expect(await ok.tools.call('reading', {}, { timeoutMs: 5000 })).toEqual({ text: '{"pm25":12}', isError: false });
    const broken = await toolsWith(SCHEMA, { pm25: 'high' });
    await expect(broken.tools.call('reading', {}, { timeoutMs: 5000 })).rejects.toThrow(/structured content/i);
    await Promise.all([ok.tools.close(), broken.tools.close()]);
  });

  it.each([
    ['an invalid pattern', { type: 'object' as const, properties: { id: { type: 'string', pattern: '(' } } }],
    ['an unsupported dialect', { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' as const }],
  ])('refuses a tool whose output schema has %s before the tool runs', async (_, schema) => {
    const { tools, state } = await toolsWith(schema, { id: 'x' });
    await expect(tools.call('reading', {}, { timeoutMs: 5000 })).rejects.toThrow(/Tool 'reading' has an invalid outputSchema/);
    expect(state.ran).toBe(0);
    await tools.close();
  });
});
