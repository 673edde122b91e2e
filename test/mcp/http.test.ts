// `airq mcp --http`: a real client over Streamable HTTP, the bearer token, Origin checks, body limits, and 2025-era clients.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyStoreForFile, removeStoreCopy, syntheticStore } from '../helpers/stores.js';
import { startMcpHttp, type McpHttpServer } from '../helpers/mcp-http.js';

const TODAY = '2024-06-30';
const TOKEN = 'test-token-123';
let storeDir: string;
let server: McpHttpServer;
let url: string;

beforeAll(async () => {
  storeDir = copyStoreForFile(syntheticStore());
  server = await startMcpHttp(storeDir, TODAY, { AIRQ_MCP_TOKEN: TOKEN });
  url = server.url;
}, 60_000);

afterAll(async () => {
  await server.stop();
  removeStoreCopy(storeDir);
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${TOKEN}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'old-client', version: '1' } },
};

describe('MCP over Streamable HTTP', () => {
  it('serves a real client that sends the token', async () => {
    const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } });
    const client = new Client({ name: 'airq-http-test', version: '1' });
    await client.connect(transport);
    const r = (await client.callTool({ name: 'list_locations', arguments: {} })) as { structuredContent: { locations: { location_id: string }[] } };
    expect(r.structuredContent.locations.map((l) => l.location_id)).toEqual(['synthetic-city']);
    // Two clients at once.
    const second = new Client({ name: 'airq-http-test-2', version: '1' });
    await second.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }));
    const [a, b] = await Promise.all([
      client.callTool({ name: 'get_air_quality_forecast', arguments: { location: 'synthetic-city' } }),
      second.callTool({ name: 'list_feature_groups', arguments: {} }),
    ]);
    expect(a.isError).toBeFalsy();
    expect(b.isError).toBeFalsy();
    await client.close();
    await second.close();
  });

  it('answers a 2025-era initialize (as Claude Desktop still sends)', async () => {
    const res = await post(INIT);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/"protocolVersion":"2025-06-18"/);
    expect(text).toMatch(/"name":"airq"/);
  });

  it('refuses a missing or wrong token, a foreign Origin, and an oversized body', async () => {
    expect((await post(INIT, { authorization: '' })).status).toBe(401);
    expect((await post(INIT, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post(INIT, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await post(INIT, { origin: 'http://localhost:3000' })).status).toBe(200);
    expect((await post('x'.repeat(2 * 1024 * 1024))).status).toBe(413);
    expect((await post(INIT)).status).toBe(200); // and it keeps serving
  });
});
