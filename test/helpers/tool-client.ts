// One MCP tool through a real client: airq's MCP server on a store over the in-memory transport, and the checks on a tool's failures.
import { Client, type CallToolRequestOptions } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, expect } from 'vitest';
import type { z } from 'zod';
import { fixedMoments } from '../../src/airquality/services/moment.js';
import type { ErrorCode } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { HashingEmbedder } from '../../src/embed/hashing.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { FeatureStore } from '../../src/store/index.js';
import { copyStoreForFile, removeStoreCopy, syntheticStore } from './stores.js';
import { ERROR_META_KEY, type ToolFailure } from '../../tools/errors.js';

export interface ToolResult {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text: string }[];
  _meta?: Record<string, unknown>;
}

/** A tool as the tests call it: its name, and its output schema for the answer's type. */
type AnyTool = { name: string; output: z.ZodType };

export interface ToolClient {
  client: Client;
  /** The result of one call, as the client received it (the client has checked structured content against the tool's output schema). */
  call(name: string, args: Record<string, unknown>, options?: CallToolRequestOptions): Promise<ToolResult>;
  /** The structured answer of a call to `tool` that must succeed, typed by the tool's own output schema. */
  answer<T extends AnyTool>(tool: T, args: Record<string, unknown>, options?: CallToolRequestOptions): Promise<z.output<T['output']>>;
  /** Runs `fn` with the server's today set to `day`, then sets it back. */
  on<T>(day: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface ToolClientOptions {
  /** The server's today (default: the synthetic store's 2024-06-30). */
  today?: string;
  /** Serve add_place too. */
  allowWrites?: boolean;
}

/** airq's MCP server on the store in `storeDir` (opened read-only), reached through a real MCP client. */
export async function toolClient(storeDir: string, options: ToolClientOptions = {}): Promise<ToolClient> {
  const store = await FeatureStore.open({ dir: storeDir, readOnly: true });
  let today = options.today ?? '2024-06-30';
  const server = createMcpServer({
    version: 'test',
    log: silentLogger,
    moments: fixedMoments(store, () => today),
    embedder: async () => new HashingEmbedder(),
    allowWrites: options.allowWrites ?? false,
  });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const client = new Client({ name: 'airq-tool-test', version: '1' });
  await client.connect(b);
  const call = async (name: string, args: Record<string, unknown>, o?: CallToolRequestOptions) =>
    (await client.callTool({ name, arguments: args }, o)) as ToolResult;
  return {
    client,
    call,
    answer: async <T extends AnyTool>(tool: T, args: Record<string, unknown>, o?: CallToolRequestOptions) => {
      const r = await call(tool.name, args, o);
      expect(r.isError, r.content[0]?.text).toBeFalsy();
      expect(JSON.parse(r.content[0]!.text)).toEqual(r.structuredContent); // the same answer as text, for clients that read only text
      return r.structuredContent as z.output<T['output']>;
    },
    on: async (day, fn) => {
      const before = today;
      today = day;
      try {
        return await fn();
      } finally {
        today = before;
      }
    },
    close: async () => {
      await client.close();
      await store.close();
    },
  };
}

/**
 * A tool client on a private copy of the synthetic store for the whole file: opened before its tests, closed and removed
 * after them. The returned client forwards to it once open.
 */
export function syntheticToolClient(options: ToolClientOptions = {}): ToolClient {
  let dir: string | undefined;
  let open: ToolClient | undefined;
  beforeAll(async () => {
    dir = copyStoreForFile(syntheticStore());
    open = await toolClient(dir, options);
  }, 60_000);
  afterAll(async () => {
    await open?.close();
    removeStoreCopy(dir);
  });
  const c = (): ToolClient => open ?? expect.fail('the tool client opens in beforeAll');
  return {
    get client() {
      return c().client;
    },
    call: (name, args, o) => c().call(name, args, o),
    answer: (tool, args, o) => c().answer(tool, args, o),
    on: (day, fn) => c().on(day, fn),
    close: () => c().close(),
  };
}

/**
 * A tool failure as the caller receives it: isError, `_meta['airq/error']` with the code, the message and the hint, and the
 * text the model reads holding both. `hint` is what the caller should be told (a tool's declared hint, or a RECOVERY hint).
 */
export function expectFailure(r: ToolResult, code: ErrorCode, hint: string | undefined, message: RegExp): ToolFailure {
  expect(hint, `the hint expected for ${code}`).toBeDefined();
  expect(r.isError, r.content[0]?.text).toBe(true);
  expect(r.structuredContent).toBeUndefined();
  const f = r._meta?.[ERROR_META_KEY] as ToolFailure | undefined;
  expect(f, r.content[0]?.text).toBeDefined();
  expect(f).toEqual({ code, message: expect.stringMatching(message), hint });
  const text = r.content.map((c) => c.text).join('\n');
  expect(text).toContain(f!.message);
  expect(text).toContain(hint);
  return f!;
}

/**
 * An input the SDK refuses against the tool's input schema before airq runs: an error result whose plain message names the
 * argument, without airq's `_meta` error.
 */
export function expectRefusedInput(r: ToolResult, tool: string, argument: string): void {
  expect(r.isError).toBe(true);
  expect(r.structuredContent).toBeUndefined();
  expect(r._meta?.[ERROR_META_KEY]).toBeUndefined();
  expect(r.content).toHaveLength(1);
  const text = r.content[0]!.text;
  expect(text).toMatch(new RegExp(`^Input validation error: Invalid arguments for tool ${tool}: `));
  expect(text).toContain(argument);
}
