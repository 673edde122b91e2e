// Cancellation over Streamable HTTP: a client's abort, its `notifications/cancelled` and a dropped connection reach the running tool's handler; no result is sent; the log says cancelled.
import { request as httpRequest } from 'node:http';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HashingEmbedder } from '../../src/embed/hashing.js';
import { createLogger } from '../../src/core/logger.js';
import { startHttpServer } from '../../src/mcp/http.js';
import { createMcpServer, runTool, toolCallOf } from '../../src/mcp/server.js';
import { fixedMoments } from '../../src/airquality/services/moment.js';
import { FeatureStore } from '../../src/store/index.js';
import { defineTool, READ_ONLY } from '../../tools/tool.js';
import { copyStoreForFile, removeStoreCopy, syntheticStore } from '../helpers/stores.js';
import { eventually } from '../helpers/child.js';

/** A tool that holds until its call is aborted: what the handler sees is the measurement. */
interface Hold {
  started: Promise<void>;
  aborted: Promise<unknown>;
}
let holds: Hold[] = [];
const logs: string[] = [];
let storeDir: string;
let store: FeatureStore;
let server: { url: string; close(): Promise<void> };

const holdTool = defineTool({
  name: 'hold',
  title: 'Hold',
  description: 'Holds until cancelled.',
  input: z.object({}).strict(),
  output: z.object({ done: z.boolean() }),
  annotations: READ_ONLY,
  errors: {},
  handler: (_args, _deps, call) => {
    let started!: () => void;
    const hold: Hold = {
      started: new Promise<void>((r) => (started = r)),
      aborted: new Promise((r) => call.signal.addEventListener('abort', () => r(call.signal.reason))),
    };
    holds.push(hold);
    started();
    return hold.aborted.then(() => ({ done: true }));
  },
});

beforeAll(async () => {
  storeDir = copyStoreForFile(syntheticStore());
  store = await FeatureStore.open({ dir: storeDir, readOnly: true });
  const log = createLogger('debug', (line) => void logs.push(line));
  const moments = fixedMoments(store, () => '2024-06-30');
  const factory = () => {
    const mcp = createMcpServer({ version: 'test', log, moments, embedder: async () => new HashingEmbedder() });
    // The real tool runner (runTool) around a tool that only ends when cancelled.
    mcp.registerTool('hold', { description: holdTool.description, inputSchema: holdTool.input }, (args, ctx) =>
      moments(({ store: s }) =>
        runTool(holdTool, args, { store: s, today: () => '2024-06-30', embedder: async () => new HashingEmbedder() }, log, toolCallOf(ctx)),
      ),
    );
    return mcp;
  };
  server = await startHttpServer({ factory, host: '127.0.0.1', port: 0, log });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await store?.close();
  removeStoreCopy(storeDir);
});
afterEach(() => {
  holds = [];
  logs.length = 0;
});

/** A 2025-era JSON-RPC POST, as a 1.x SDK client sends it; resolves with the response once its headers arrive. */
function post(body: unknown, headers: Record<string, string> = {}): { response: Promise<{ status: number; text: Promise<string> }>; destroy(): void } {
  const req = httpRequest(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', ...headers },
  });
  const response = new Promise<{ status: number; text: Promise<string> }>((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      const text = new Promise<string>((r) => res.on('close', () => r(Buffer.concat(chunks).toString())));
      resolve({ status: res.statusCode ?? 0, text });
    });
    req.on('error', reject);
  });
  req.end(JSON.stringify(body));
  return { response, destroy: () => req.destroy() };
}

/** Until the hold tool's handler is running. */
const holding = () =>
  eventually(async () => {
    if (!holds[0]) throw new Error('the tool has not started');
    await holds[0].started;
  });

const callHold = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'hold', arguments: {} } });

describe('MCP over HTTP, cancellation', () => {
  it('a 2026-era client that aborts its call aborts the tool, and the log says cancelled', async () => {
    const client = new Client({ name: 'cancel-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    const controller = new AbortController();
    const call = client.callTool({ name: 'hold', arguments: {} }, { signal: controller.signal });
    await holding();
    controller.abort();
    await expect(call).rejects.toThrow();
    await holds[0]!.aborted; // the handler saw the abort
    await eventually(() => expect(logs.join('')).toMatch(/tool hold cancelled after/));
    expect(logs.join('')).not.toMatch(/tool hold ok/);
    await client.close();
  });

  it("a 2025-era client's notifications/cancelled aborts the request it names, and only that client's", async () => {
    const first = post(callHold(7));
    await holding();
    // Another request id, or the same id from another client (another credential), cancels nothing.
    const otherId = post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 8 } });
    const otherClient = post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 7 } }, { authorization: 'Bearer someone-else' });
    expect([(await otherId.response).status, (await otherClient.response).status]).toEqual([202, 202]);
    expect(logs.join('')).not.toMatch(/cancelled/);
    const cancel = post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 7, reason: 'user pressed stop' } });
    expect((await cancel.response).status).toBe(202);
    await holds[0]!.aborted; // the handler saw the abort
    const answered = await (await first.response).text;
    expect(answered).not.toMatch(/"result"/); // no result is sent for a cancelled request
    expect(logs.join('')).toMatch(/http cancelled request 7 \(user pressed stop\)/);
    await eventually(() => expect(logs.join('')).toMatch(/tool hold cancelled after/));
  });

  it('a client that drops the connection mid-call aborts the tool', async () => {
    const call = post(callHold(11));
    call.response.catch(() => undefined); // the connection is destroyed below
    await holding();
    call.destroy();
    await holds[0]!.aborted;
    await eventually(() => expect(logs.join('')).toMatch(/tool hold cancelled after/));
  });
});
