// Streamable HTTP for MCP on node:http at /mcp: origin and host checks, CORS for named origins, a bearer token checked before the body is read, a body-size bound, cancellation, both protocol eras.
import { listen } from '../core/listen.js';
import { bearerMatches, isLoopback } from '../core/http-guard.js';
import { discardBody, readBody } from '../core/http-body.js';
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
import { InFlightRequests, messageIn } from './http-cancel.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpOptions {
  /** A fresh server for each request (2025-era clients are served statelessly, one instance per request). */
  factory: () => McpServer;
  host: string;
  port: number;
  /** When set, every request needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Browser origins allowed to call (CORS): their preflight is answered and responses carry Access-Control headers. */
  corsOrigins?: readonly string[];
  log: Logger;
}

/** The one path MCP is served at; anything else is 404. */
export const MCP_PATH = '/mcp';
const CORS_HEADERS = {
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers': 'content-type, authorization, accept, last-event-id, mcp-protocol-version, mcp-session-id',
  'access-control-expose-headers': 'mcp-session-id, mcp-protocol-version, www-authenticate',
  'access-control-max-age': '600',
};

function jsonError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message } }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** How much of a refused request's body is read and thrown away so the client can read the refusal; past it the connection closes. */
const DISCARD_BYTES = 16 * MAX_BODY_BYTES;

/** Headers of this connection, which node:http manages: the SDK's `connection: keep-alive` overrode a client's `Connection: close`. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding']);

async function send(res: ServerResponse, response: Response, extra: Record<string, string> = {}): Promise<void> {
  res.writeHead(response.status, { ...Object.fromEntries([...response.headers.entries()].filter(([k]) => !HOP_BY_HOP.has(k))), ...extra });
  if (!response.body) return void res.end();
  // Streams (SSE) are written as they come, so progress reaches the client before the result.
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
  res.end();
}

/** What is decided from the request line and headers alone, before any body is read: a response, or undefined to go on. */
function gate(req: IncomingMessage, headers: Headers, url: URL, options: HttpOptions, cors: Record<string, string>): Response | undefined {
  if (url.pathname !== MCP_PATH && url.pathname !== `${MCP_PATH}/`) return jsonError(404, `MCP is served at ${MCP_PATH}`, cors);
  const origin = headers.get('origin');
  if (req.method === 'OPTIONS') {
    return origin && cors['access-control-allow-origin']
      ? new Response(null, { status: 204, headers: cors })
      : jsonError(403, `origin ${origin ?? '(none)'} is not allowed`);
  }
  // Bound to this machine: refuse pages from other origins (DNS rebinding) and foreign Host headers; named CORS origins pass.
  const probe = new Request(url, { method: 'GET', headers });
  if (isLoopback(options.host)) {
    const host = hostHeaderValidationResponse(probe, localhostAllowedHostnames());
    if (host) return host;
    const allowed = origin !== null && (options.corsOrigins ?? []).includes(origin);
    const foreign = allowed ? undefined : originValidationResponse(probe, localhostAllowedOrigins());
    if (foreign) return foreign;
  }
  if (options.token !== undefined && !bearerMatches(headers.get('authorization'), options.token)) {
    return jsonError(401, 'missing or wrong bearer token (Authorization: Bearer $AIRQ_MCP_TOKEN)', { 'www-authenticate': 'Bearer', ...cors });
  }
  return undefined;
}

/** The request's address; undefined when its target or Host is malformed (`Host: localhost:99999`, `http://%`): a 400, not a 500. */
function urlOf(req: IncomingMessage, options: HttpOptions): URL | undefined {
  try {
    return new URL(`http://${req.headers.host ?? `${options.host}:${options.port}`}${req.url ?? '/'}`);
  } catch {
    return undefined;
  }
}

/** The CORS headers for a request from an allowed origin; none otherwise. */
function corsFor(origin: string | undefined, options: HttpOptions): Record<string, string> {
  return origin && (options.corsOrigins ?? []).includes(origin) ? { 'access-control-allow-origin': origin, vary: 'origin', ...CORS_HEADERS } : {};
}

export async function startHttpServer(options: HttpOptions): Promise<{ url: string; close(): Promise<void> }> {
  const handler = createMcpHandler(() => options.factory(), { maxRequestBodySize: MAX_BODY_BYTES });
  const inFlight = new InFlightRequests();
  /**
   * One MCP message to the SDK's handler, cancellable by `abort` and, until `done` (after the response is sent, since a
   * streamed tool runs while it streams), by its sender's `notifications/cancelled`.
   */
  const serve = async (req: IncomingMessage, url: URL, headers: Headers, body: Buffer | undefined, abort: AbortController) => {
    const message = messageIn(body);
    const sender = `${req.socket.remoteAddress ?? ''} ${headers.get('authorization') ?? ''} ${headers.get('mcp-session-id') ?? ''}`;
    const cancelled = inFlight.cancel(message, sender);
    if (cancelled) options.log.info(`http cancelled ${cancelled}`);
    const done = inFlight.track(message, sender, abort);
    const init = { method: req.method, headers, body: body && body.length > 0 ? body : undefined, signal: abort.signal };
    return { response: await handler.fetch(new Request(url, init)).catch((e: unknown) => (done(), Promise.reject(e))), done };
  };
  const server = createServer((req, res) => {
    void (async () => {
      const t0 = performance.now();
      const url = urlOf(req, options);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      const cors = corsFor(req.headers.origin, options);
      // A client that goes away (a disconnect, its own timeout, a 2026-era cancel) aborts the request: the SDK then aborts the tool.
      const abort = new AbortController();
      res.once('close', () => res.writableFinished || abort.abort(new Error('the client disconnected')));
      let response = url ? gate(req, headers, url, options, cors) : jsonError(400, 'the request target or its Host header is not a valid address', cors);
      let done = () => {};
      // Turned away on its headers: the body is discarded unread (up to a bound), so the client finishes sending and reads the answer.
      if (response) await discardBody(req, DISCARD_BYTES);
      else {
        const body = req.method === 'GET' || req.method === 'HEAD' || req.method === 'DELETE' ? undefined : await readBody(req, MAX_BODY_BYTES);
        if (body === undefined && req.method === 'POST') response = jsonError(413, `request body over ${MAX_BODY_BYTES} bytes`, cors);
        // (no response from the gate means the address parsed)
        else ({ response, done } = await serve(req, url!, headers, body, abort));
      }
      await send(res, response, cors).finally(done);
      options.log.info(`http ${req.method} ${req.url} ${response.status} in ${(performance.now() - t0).toFixed(1)} ms`);
    })().catch((e: unknown) => {
      // A client that goes away mid-request is ordinary; anything else is an error worth seeing.
      if (req.destroyed || res.destroyed) options.log.debug(`http request ended by the client: ${String(e)}`);
      else options.log.error(`http request failed: ${String(e)}`);
      if (!res.headersSent && !res.destroyed) res.writeHead(500, { 'content-type': 'application/json' });
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
