// The floor of `bench startup`: only the parts `airq ask` cannot do without, loaded as airq loads them — DuckDB opens the store and
// answers one query, through one tool of an MCP server and client connected in memory. Prints the value it read.
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { duckdb } from '../src/store/db/duckdb.js';
import { DB_FILE } from '../src/store/open-store.js';

const instance = await duckdb.DuckDBInstance.create(join(process.argv[2]!, DB_FILE), { access_mode: 'READ_ONLY' });
const conn = await instance.connect();
const server = new McpServer({ name: 'floor', version: '1' });
server.registerTool(
  'tables',
  { description: 'How many tables the store has', inputSchema: z.object({ schema: z.string() }), outputSchema: z.object({ tables: z.number() }) },
  async ({ schema }) => {
    const reader = await conn.runAndReadAll('SELECT count(*)::DOUBLE AS n FROM information_schema.tables WHERE table_schema = $schema', { schema });
    const tables = reader.getRowObjects()[0]!.n as number;
    return { content: [{ type: 'text', text: String(tables) }], structuredContent: { tables } };
  },
);
const [a, b] = InMemoryTransport.createLinkedPair();
await server.connect(a);
const client = new Client({ name: 'floor', version: '1' });
await client.connect(b);
await client.listTools();
const result = await client.callTool({ name: 'tables', arguments: { schema: 'main' } });
process.stdout.write(`${JSON.stringify(result.structuredContent)}\n`);
await client.close();
conn.closeSync();
instance.closeSync();
