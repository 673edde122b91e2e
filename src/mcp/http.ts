// Streamable HTTP for MCP on node:http: origin and host checks, an optional bearer token, a body-size bound, both protocol eras.
import { listen } from '../core/listen.js';
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createMcpHandler,
  hostHeaderValidationResponse,
  localhostAllowedHostnames,
  localhostAllowedOrigins,
  originValidationResponse,
  type McpServer,
} from '@modelcontextprotocol/server';
import type { Logger } from '../core/logger.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpOptions {
  /** A fresh server for each request (2025-era clients are served statelessly, one instance per request). */
  factory: () => McpServer;
  host: string;
  port: number;
  /** When set, every request needs `Authorization: Bearer <token>`. */
  token?: string;
  log: Logger;
}

const LOCAL = new Set(['127.0.0.1', 'localhost', '::1']);

function jsonError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message } }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

function tokenMatches(header: string | null, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const want = Buffer.from(token);
  return header !== null && /^Bearer\s/i.test(header) && given.length === want.length && timingSafeEqual(given, want);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
  if (!response.body) return void res.end();
  // Streams (SSE) are written as they come, so progress reaches the client before the result.
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
  res.end();
}

export async function startHttpServer(options: HttpOptions): Promise<{ url: string; close(): Promise<void> }> {
  const handler = createMcpHandler(() => options.factory(), { maxRequestBodySize: MAX_BODY_BYTES });
  const local = LOCAL.has(options.host);
  const server = createServer((req, res) => {
    void (async () => {
      const t0 = performance.now();
      const url = `http://${req.headers.host ?? `${options.host}:${options.port}`}${req.url ?? '/'}`;
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      const body = req.method === 'GET' || req.method === 'HEAD' || req.method === 'DELETE' ? undefined : await readBody(req, MAX_BODY_BYTES);
      let response: Response;
      if (body === undefined && req.method === 'POST') response = jsonError(413, `request body over ${MAX_BODY_BYTES} bytes`);
      else {
        const request = new Request(url, { method: req.method, headers, body: body && body.length > 0 ? body : undefined });
        // Bound to this machine: refuse pages from other origins (DNS rebinding) and foreign Host headers.
        const rejected = local
          ? (hostHeaderValidationResponse(request, localhostAllowedHostnames()) ?? originValidationResponse(request, localhostAllowedOrigins()))
          : undefined;
        if (rejected) response = rejected;
        else if (options.token !== undefined && !tokenMatches(request.headers.get('authorization'), options.token)) {
          response = jsonError(401, 'missing or wrong bearer token (Authorization: Bearer $AIRQ_MCP_TOKEN)', { 'www-authenticate': 'Bearer' });
        } else response = await handler.fetch(request);
      }
      await send(res, response);
      options.log.info(`http ${req.method} ${req.url} ${response.status} in ${(performance.now() - t0).toFixed(1)} ms`);
    })().catch((e: unknown) => {
      options.log.error(`http request failed: ${String(e)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end();
    });
  });
  await listen(server, options.port, options.host);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/mcp`,
    close: async () => {
      await handler.close?.();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
