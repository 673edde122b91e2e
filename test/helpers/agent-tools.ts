// Test helpers for the agent: MCP tools on a store through a real in-process MCP client.
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport, McpServer } from '@modelcontextprotocol/server';
import { McpTools } from '../../src/agent/mcp-tools.js';
import { silentLogger } from '../../src/core/logger.js';
import { HashingEmbedder } from '../../src/embed/hashing.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { fixedMoments } from '../../src/airquality/services/moment.js';
import { FeatureStore } from '../../src/store/index.js';

/** airq's MCP server on a store, reached through a real MCP client over the in-memory transport. */
export async function inProcessTools(storeDir: string, today: string): Promise<McpTools> {
  const store = await FeatureStore.open({ dir: storeDir, readOnly: true });
  const server = createMcpServer({
    version: 'test',
    log: silentLogger,
    moments: fixedMoments(store, () => today),
    embedder: async () => new HashingEmbedder(),
  });
  return linked(server, () => store.close());
}

/** A one-tool MCP server whose tool `wait` answers after `ms` milliseconds: for tool timeouts. */
export async function slowTools(): Promise<McpTools> {
  const { z } = await import('zod');
  const server = new McpServer({ name: 'slow', version: '1' });
  server.registerTool('wait', { description: 'Answers after ms milliseconds.', inputSchema: z.object({ ms: z.number() }) }, async ({ ms }) => {
    await new Promise((r) => setTimeout(r, ms));
    return { content: [{ type: 'text', text: `waited ${ms} ms` }] };
  });
  return linked(server);
}

async function linked(server: { connect(t: unknown): Promise<void>; close(): Promise<void> }, after: () => Promise<void> = async () => {}): Promise<McpTools> {
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const client = new Client({ name: 'airq-agent-test', version: '1' });
  await client.connect(b);
  return new McpTools(client, async () => {
    await server.close();
    await after();
  });
}
