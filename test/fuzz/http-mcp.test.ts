// Fuzz: `airq mcp --http`'s server on a real store over real sockets. Random methods, targets, headers and JSON-RPC bodies of
// every shape each get a well-formed answer below 500 with no stack trace in it, and the server keeps serving MCP.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedMoments } from '../../src/airquality/services/moment.js';
import { createLogger } from '../../src/core/logger.js';
import { HashingEmbedder } from '../../src/embed/hashing.js';
import { startHttpServer } from '../../src/mcp/http.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { FeatureStore } from '../../src/store/index.js';
import { copyStoreForFile, removeStoreCopy, syntheticStore } from '../helpers/stores.js';
import { check, hostileNumber, hostileString, storeFingerprint } from './fuzz.js';
import { expectAnswered, explain, request, send, type RawRequest } from './raw-http.js';

const TODAY = '2024-06-30';

describe('fuzz: airq mcp --http', () => {
  let dir: string;
  let before: string;
  let store: FeatureStore;
  let http: { url: string; close(): Promise<void> };
  let port: number;
  const errors: string[] = [];

  beforeAll(async () => {
    dir = copyStoreForFile(syntheticStore());
    before = await storeFingerprint(dir);
    store = await FeatureStore.open({ dir, readOnly: true });
    const log = createLogger('error', (line) => errors.push(line));
    const moments = fixedMoments(store, () => TODAY);
    http = await startHttpServer({
      factory: () => createMcpServer({ version: 'fuzz', log, moments, embedder: async () => new HashingEmbedder() }),
      host: '127.0.0.1',
      port: 0,
      log,
    });
    port = Number(new URL(http.url).port);
  });
  afterAll(async () => {
    await http?.close();
    await store?.close();
    if (dir) expect(await storeFingerprint(dir)).toBe(before);
    removeStoreCopy(dir);
  });

  /** JSON-RPC as a client would send it, with every tool and random or hostile arguments. */
  const TOOL_NAMES = [
    'list_locations',
    'get_air_quality_history',
    'get_air_quality_forecast',
    'find_similar_days',
    'search_similar',
    'explain_forecast',
    'get_feature_vector',
    'list_feature_groups',
    'get_data_status',
    'add_place',
    'constructor',
  ];
  const goodRpc = fc.record({
    jsonrpc: fc.constant('2.0'),
    id: fc.nat(),
    method: fc.constantFrom(
      'tools/call',
      'tools/call',
      'tools/list',
      'initialize',
      'resources/list',
      'resources/read',
      'prompts/list',
      'prompts/get',
      'completion/complete',
      'ping',
    ),
    params: fc.oneof(
      fc.record({
        name: fc.constantFrom(...TOOL_NAMES),
        arguments: fc.oneof(
          fc.record(
            {
              location: fc.oneof(fc.constant('synthetic-city'), hostileString),
              start_date: fc.constantFrom('2024-06-01', '2024-13-45', '1900-01-01'),
              k: hostileNumber,
            },
            { requiredKeys: [] },
          ),
          fc.dictionary(hostileString, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
        ),
      }),
      fc.record({ uri: fc.constantFrom('airq://feature-groups/air_quality/1', 'airq://feature-groups/constructor/1', 'airq://x', 'file:///etc/passwd') }),
      fc.record({ name: fc.oneof(fc.constant('air_quality_briefing'), hostileString), arguments: fc.dictionary(hostileString, hostileString, { maxKeys: 2 }) }),
      fc.record({
        protocolVersion: fc.constantFrom('2025-06-18', '2025-03-26', '1999-01-01'),
        capabilities: fc.constant({}),
        clientInfo: fc.constant({ name: 'fuzz', version: '1' }),
      }),
    ),
  });
  const post = (body: string, headers: [string, string][]): RawRequest => ({
    method: 'POST',
    target: '/mcp',
    headers: [
      ['Host', `127.0.0.1:${port}`],
      ['Content-Type', 'application/json'],
      ['Accept', 'application/json, text/event-stream'],
      ...headers.filter(([k]) => !/^(host|content-type|accept|transfer-encoding|expect)$/i.test(k)),
    ],
    body,
    length: 'right',
  });
  /** A third anything, the rest POSTs to MCP's path that reach the SDK: any body, or well-formed JSON-RPC to the tools. */
  const mcpRequest = fc.constant(null).chain(() =>
    fc.oneof(
      request(port),
      request(port).map((r) => post(r.body, r.headers)),
      fc
        .tuple(goodRpc, fc.constantFrom<[string, string][]>([], [['MCP-Protocol-Version', '2025-06-18']], [['MCP-Protocol-Version', 'nonsense']]))
        .map(([m, h]) => post(JSON.stringify(m), h)),
    ),
  );

  it('every request gets a status below 500 without a stack trace, and MCP still answers', async () => {
    await check(
      'http mcp',
      fc.asyncProperty(mcpRequest, async (r) => {
        errors.length = 0;
        const res = await send(port, r);
        expectAnswered(r, res);
        expect(errors, explain(r, res)).toEqual([]);
      }),
      120,
    );
    const client = new Client({ name: 'fuzz-health', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
    const r = await client.callTool({ name: 'list_locations', arguments: {} });
    expect(r.isError).toBeFalsy();
    await client.close();
  });
});
