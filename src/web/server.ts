// The web server of `airq serve`: the pages, their JSON endpoints (validated, documented at /api), static files and the chat stream.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { z } from 'zod';
import { addDays } from '../core/dates.js';
import { projectRoot } from '../core/data-dir.js';
import { AppError, errorMessage, NotFoundError, ValidationError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { formatZodIssues } from '../core/validate.js';
import { listen } from '../core/listen.js';
import { bearerMatches, foreignRequest, isLoopback, requestUrl } from '../core/http-guard.js';
import { readBody } from '../core/http-body.js';
import { printable } from '../core/printable.js';
import { airQualityHistory } from '../airquality/services/history.js';
import { readForecast } from '../airquality/services/forecast-read.js';
import { resolveLocation } from '../airquality/services/locations.js';
import { dataStatus } from '../airquality/services/status.js';
import { recentRuns } from '../airquality/pipelines/pipeline-runs.js';
import type { Moment, Moments } from '../airquality/services/moment.js';
import { ChatRequest, streamChat, type ChatAgent } from './chat.js';
import { ChatSlots, type ChatLimits } from './chat-slots.js';
import { PageToken, withoutToken } from './page-token.js';
import { hindcast, locationPage, modelInfo, overview } from './dashboard.js';
import { errorPage, locationPageHtml, overviewPage } from './pages.js';
import { statusPageHtml } from './status-page.js';
import { serveFeatures } from './feature-api.js';
import { serveHealth } from './health.js';

export interface WebDeps {
  /** Each request's store and today: over a LiveStore the page shows the writer's latest commit. */
  moments: Moments;
  agent: ChatAgent;
  log: Logger;
  /** When set, every request needs it: `Authorization: Bearer <token>`, or the cookie a page visit with ?token= sets. */
  token?: string;
  /** Chats streamed at once (default 16 in all, 2 per client). */
  chatLimits?: ChatLimits;
}

/** What the server keeps across requests. */
interface ServerState {
  deps: WebDeps;
  slots: ChatSlots;
  /** Listening on loopback only: requests must name this machine (Host) and come from its pages (Origin). */
  local: boolean;
  /** With a token: how requests show it (set once the port is known). */
  token?: PageToken;
  startedAt: number;
}

const MAX_BODY = 64 * 1024;
/** Pipeline runs on the status page, newest first. */
const RUNS_SHOWN = 20;
/** The static files, by name: nothing else is served from static/ (a Map: no name of Object.prototype matches). */
const STATIC = new Map([
  ['app.js', 'text/javascript; charset=utf-8'],
  ['style.css', 'text/css; charset=utf-8'],
  ['phone.css', 'text/css; charset=utf-8'],
]);
const LocationId = z.string().min(1).max(200);
const Days = z.coerce
  .number({ error: 'a whole number of days, 1 to 366' })
  .int('a whole number of days, 1 to 366')
  .min(1, 'at least 1 day')
  .max(366, 'at most 366 days');

const staticFiles = new Map<string, Buffer>();
/** A file of static/, read once per process. */
function staticFile(name: string): Buffer {
  let body = staticFiles.get(name);
  if (!body) staticFiles.set(name, (body = readFileSync(join(projectRoot(), 'src', 'web', 'static', name))));
  return body;
}

/** The JSON endpoints, as /api lists them. */
export const API_DOC = {
  'GET /api/locations': 'every location with tomorrow’s forecast and the latest observation',
  'GET /api/locations/{id}': 'one location’s page data: forecast, recent observations, hindcast, model',
  'GET /api/locations/{id}/forecast': 'the latest 7-day forecast: PM2.5, 80% interval, AQI category, advice',
  'GET /api/locations/{id}/history?days=N': 'daily observations of the last N days (1-366, default 14)',
  'GET /api/locations/{id}/hindcast': 'logged forecasts against observations: errors by days ahead and 1-day points',
  'GET /api/model': 'the forecaster in use: version, when trained, backtest metrics',
  'GET /api/status': 'how fresh the data is: today, per place its source, last observation, forecast and what is stale; the model; the last and next run',
  'POST /api/chat': 'body {"question": "...", "history": [{"question","answer"}]}; answers as server-sent events: tool, text, done, error',
  'POST /features/{view}/{version}':
    'body {"entities": [{"<key column>": value}, …]} (or columns {"<key column>": [values]}), optional "passedFeatures", "returnType": "object"|"array"; each entity\'s online feature vector with status found or not_found (needs Authorization: Bearer when a token is set)',
  'GET /health': 'whether this server can serve: the snapshot and commit it serves, its online store, uptime (no token needed)',
};

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ValidationError(`${what}: ${formatZodIssues(r.error).replace(/^input: /, '')}`);
  return r.data;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) throw new ValidationError('send the body as application/json');
  const body = await readBody(req, MAX_BODY);
  if (body === undefined) throw new ValidationError(`the body is over ${MAX_BODY / 1024} KiB`);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new ValidationError('the body is not valid JSON');
  }
}

/** The path's segments, decoded; a malformed escape (%E0%A4) is the client's error, not a crash. */
function pathParts(pathname: string): string[] {
  try {
    return pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw new ValidationError(`the address ${pathname} has a malformed %-escape`);
  }
}

const statusOf = (e: unknown) => (e instanceof NotFoundError ? 404 : e instanceof ValidationError ? 400 : 500);

async function api({ store, today }: Moment, req: IncomingMessage, res: ServerResponse, url: URL, parts: string[]): Promise<void> {
  if (parts.length === 1 && req.method === 'GET') return json(res, 200, { endpoints: API_DOC });
  if (req.method !== 'GET') return json(res, 405, { error: `${req.method} is not supported here; see GET /api` });
  if (parts[1] === 'model' && parts.length === 2) return json(res, 200, { today, model: await modelInfo(store) });
  if (parts[1] === 'status' && parts.length === 2) return json(res, 200, await dataStatus(store, today));
  if (parts[1] === 'locations' && parts.length === 2) return json(res, 200, { today, locations: await overview(store, today) });
  if (parts[1] === 'locations' && parts.length >= 3 && parts.length <= 4) {
    const id = parse(LocationId, parts[2], 'location');
    const view = parts[3];
    if (view === undefined) return json(res, 200, await locationPage(store, id, today));
    if (view === 'forecast') return json(res, 200, await readForecast(store, id, today));
    if (view === 'history') {
      const days = parse(Days, url.searchParams.get('days') ?? '14', 'days');
      return json(res, 200, await airQualityHistory(store, id, addDays(today, 1 - days), today));
    }
    if (view === 'hindcast') {
      const location = await resolveLocation(store, id);
      return json(res, 200, { location, ...(await hindcast(store, location.location_id)) });
    }
  }
  throw new NotFoundError(`no endpoint ${url.pathname}; see GET /api`);
}

async function page({ store, today }: Moment, req: IncomingMessage, res: ServerResponse, url: URL, parts: string[]): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return html(res, 405, errorPage(405, `${req.method} is not supported here`, today));
  if (parts.length === 0) return html(res, 200, overviewPage(await overview(store, today), await modelInfo(store), today));
  if (parts[0] === 'status' && parts.length === 1) return html(res, 200, statusPageHtml(await dataStatus(store, today), await recentRuns(store, RUNS_SHOWN)));
  if (parts[0] === 'locations' && parts.length === 2)
    return html(res, 200, locationPageHtml(await locationPage(store, parse(LocationId, parts[1], 'location'), today)));
  throw new NotFoundError(`there is no page ${url.pathname}`);
}

/**
 * What is decided before routing: a foreign Host or Origin (403), a missing token (401), or a page visit with the right
 * ?token= (the cookie is set and the address without it loaded). True when the request was answered here. /health needs
 * no token (probes and load balancers); /features takes only the bearer header (programs call it; the page's cookie is not enough).
 */
function gate(state: ServerState, req: IncomingMessage, res: ServerResponse, url: URL, area: string | undefined): boolean {
  const refused = state.local ? foreignRequest(req) : undefined;
  if (refused) return (void json(res, 403, { error: refused }), true);
  const token = state.token;
  if (token === undefined || area === 'health') return false;
  if (area === 'features') {
    if (bearerMatches(req.headers.authorization, state.deps.token!)) return false;
    res.writeHead(401, { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer' });
    const hint = 'send the header Authorization: Bearer $AIRQ_SERVE_TOKEN (the page’s cookie is not accepted here)';
    return (void res.end(JSON.stringify({ error: 'this endpoint needs the server’s token', hint })), true);
  }
  if (token.given(req)) return false;
  const given = url.searchParams.get('token');
  if (given !== null && (req.method === 'GET' || req.method === 'HEAD') && token.matches(given)) {
    url.searchParams.delete('token');
    // A path of this server only: /.//other.example must not become the address //other.example.
    const location = `/${url.pathname.replace(/^\/+/, '')}${url.search}`;
    res.writeHead(303, { location, 'set-cookie': token.setCookie(), 'cache-control': 'no-store' });
    return (void res.end(), true);
  }
  res.writeHead(401, { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer' });
  res.end(JSON.stringify({ error: 'this server needs its token: Authorization: Bearer $AIRQ_SERVE_TOKEN, or open the page once with ?token=…' }));
  return true;
}

/** POST /api/chat within the chat bounds: past them 429, with when to try again. */
async function chat(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') return json(res, 405, { error: 'POST a question to /api/chat' });
  // The question is read before a slot is taken: a client that stalls mid-upload holds no slot.
  const body = parse(ChatRequest, await readJson(req), 'chat request');
  const release = state.slots.take(req.socket.remoteAddress ?? '');
  if (!release) {
    res.writeHead(429, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '5' });
    return void res.end(JSON.stringify({ error: `too many chats: this server answers ${state.slots.describe()}; try again in a few seconds` }));
  }
  try {
    // The chat holds no store: the agent's tool calls each take the store of their moment.
    await streamChat(res, body, state.deps.agent);
  } finally {
    release();
  }
}

async function route(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { deps } = state;
  let today: string | undefined;
  let parts: string[] = [];
  let url: URL | undefined;
  try {
    url = requestUrl(req);
    parts = pathParts(url.pathname);
    const area = parts.length === 1 && parts[0] === 'health' ? 'health' : parts[0] === 'features' ? 'features' : undefined;
    if (gate(state, req, res, url, area)) return;
    if (area === 'health' && req.method !== 'GET' && req.method !== 'HEAD')
      return json(res, 405, { error: `${req.method} is not supported here; GET /health` });
    if (area === 'health') {
      return await serveHealth(res, { moments: deps.moments, startedAt: state.startedAt, private: deps.token !== undefined, log: deps.log });
    }
    if (area === 'features') return await serveFeatures(req, res, parts, deps.moments, deps.log);
    const type = parts[0] === 'static' && parts.length === 2 ? STATIC.get(parts[1]!) : undefined;
    if (type && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'max-age=300' });
      return void res.end(staticFile(parts[1]!));
    }
    if (parts[0] === 'api' && parts[1] === 'chat' && parts.length === 2) return await chat(state, req, res);
    const at = url;
    return await deps.moments((m) => {
      today = m.today;
      return parts[0] === 'api' ? api(m, req, res, at, parts) : page(m, req, res, at, parts);
    });
  } catch (e) {
    const status = statusOf(e);
    const where = `${req.method} ${url ? printable(url.pathname) : '(unparsable target)'}`;
    if (status === 500) deps.log.error(`${where}: ${e instanceof AppError ? e.message : ((e as Error).stack ?? errorMessage(e))}`);
    else deps.log.info(`${where}: ${status} ${printable(errorMessage(e).split('\n')[0]!)}`);
    const message = status === 500 ? `internal error: ${errorMessage(e).split('\n')[0]}` : errorMessage(e).split('\n')[0]!;
    if (res.headersSent) return void res.end();
    if (parts[0] === 'api' || url === undefined) return json(res, status, { error: message });
    return html(res, status, errorPage(status, message, today));
  }
}

/** Listens on host:port (0 picks a free port); resolves with the server and its address. */
export async function startWebServer(deps: WebDeps, port: number, host: string): Promise<{ server: Server; url: string }> {
  const state: ServerState = { deps, slots: new ChatSlots(deps.chatLimits), local: isLoopback(host), startedAt: Date.now() };
  const server = createServer((req, res) => {
    const t0 = performance.now();
    res.on('finish', () =>
      deps.log.debug(`${req.method} ${printable(withoutToken(req.url ?? ''))} ${res.statusCode} ${(performance.now() - t0).toFixed(1)} ms`),
    );
    route(state, req, res).catch((e: unknown) => {
      // route answers every error itself; this is the last line, so that no request can stop the server.
      deps.log.error(`${req.method} request failed: ${errorMessage(e)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  // The whole request (headers and body) within 30 s: a client that stalls mid-upload is cut off.
  server.requestTimeout = 30_000;
  server.headersTimeout = 20_000;
  await listen(server, port, host);
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  if (deps.token !== undefined) state.token = new PageToken(deps.token, actual);
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}` };
}
