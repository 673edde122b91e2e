// `airq mcp --http`: a real client over Streamable HTTP, the bearer token (before the body), Origin checks and CORS, the /mcp path, body limits, and 2025-era clients.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyStoreForFile, removeStoreCopy, syntheticStore } from '../helpers/stores.js';
import { startMcpHttp, type McpHttpServer } from '../helpers/mcp-http.js';
import { send } from '../fuzz/raw-http.js';

const TODAY = '2024-06-30';
const TOKEN = 'test-token-123';
let storeDir: string;
let server: McpHttpServer;
let url: string;

beforeAll(async () => {
  storeDir = copyStoreForFile(syntheticStore());
  server = await startMcpHttp(storeDir, TODAY, { AIRQ_MCP_TOKEN: TOKEN }, ['--cors-origin', 'http://app.example.com']);
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

  it('serves MCP at /mcp only, checks the token before reading the body, and answers CORS for the named origin', async () => {
    const other = await fetch(url.replace(/\/mcp$/, '/other'), { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{}' });
    expect(other.status).toBe(404);
    expect(await other.text()).toMatch(/MCP is served at \/mcp/);
    // A large body without the token is refused for the token (401), not for its size.
    expect((await post('x'.repeat(2 * 1024 * 1024), { authorization: '' })).status).toBe(401);
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://app.example.com');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const fromApp = await post(INIT, { origin: 'http://app.example.com' });
    expect(fromApp.status).toBe(200);
    expect(fromApp.headers.get('access-control-allow-origin')).toBe('http://app.example.com');
    expect(fromApp.headers.get('access-control-expose-headers')).toMatch(/mcp-session-id/);
    // Any other origin gets neither a preflight nor a call.
    expect((await fetch(url, { method: 'OPTIONS', headers: { origin: 'http://evil.example' } })).status).toBe(403);
    expect((await post(INIT, { origin: 'http://evil.example' })).status).toBe(403);
  });

  // Found by test/fuzz/http-mcp.test.ts: a Host that is no address was a 500 logged as an error, a CONNECT was dropped
  // unanswered, and a streamed answer said keep-alive to a client that asked to close (its socket stayed open 5 s).
  it('answers a malformed Host with 400 and a CONNECT with 405, and closes when the client asks', async () => {
    const port = Number(new URL(url).port);
    const raw = (method: string, target: string, headers: [string, string][], body = '') =>
      send(port, { method, target, headers: [['Authorization', `Bearer ${TOKEN}`], ...headers], body, length: 'right' });
    const badHost = await raw(
      'POST',
      '/mcp',
      [
        ['Host', 'localhost:99999'],
        ['Content-Type', 'application/json'],
      ],
      JSON.stringify(INIT),
    );
    expect([badHost.status, JSON.parse(badHost.body).error.message]).toEqual([400, 'the request target or its Host header is not a valid address']);
    expect((await raw('CONNECT', `127.0.0.1:${port}`, [['Host', `127.0.0.1:${port}`]])).status).toBe(405);
    const streamed = await raw(
      'POST',
      '/mcp',
      [
        ['Host', `127.0.0.1:${port}`],
        ['Content-Type', 'application/json'],
        ['Accept', 'application/json, text/event-stream'],
      ],
      JSON.stringify(INIT),
    );
    expect(streamed.status).toBe(200);
    expect(streamed.head).toMatch(/\r\nConnection: close\r\n/i);
    expect(streamed.head).not.toMatch(/keep-alive/i);
  });
});
