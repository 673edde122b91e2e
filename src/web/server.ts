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
import { airQualityHistory } from '../airquality/services/history.js';
import { readForecast } from '../airquality/services/forecast-read.js';
import { resolveLocation } from '../airquality/services/locations.js';
import { dataStatus } from '../airquality/services/status.js';
import { recentRuns } from '../airquality/pipelines/pipeline-runs.js';
import type { Moment, Moments } from '../airquality/services/moment.js';
import { ChatRequest, streamChat, type ChatAgent } from './chat.js';
import { hindcast, locationPage, modelInfo, overview } from './dashboard.js';
import { errorPage, locationPageHtml, overviewPage } from './pages.js';
import { statusPageHtml } from './status-page.js';

export interface WebDeps {
  /** Each request's store and today: over a LiveStore the page shows the writer's latest commit. */
  moments: Moments;
  agent: ChatAgent;
  log: Logger;
}

const MAX_BODY = 64 * 1024;
/** Pipeline runs on the status page, newest first. */
const RUNS_SHOWN = 20;
const STATIC: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'phone.css': 'text/css; charset=utf-8',
};
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
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new ValidationError(`the body is over ${MAX_BODY / 1024} KiB`);
    chunks.push(c as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
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

async function route(deps: WebDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let today: string | undefined;
  let parts: string[] = [];
  try {
    parts = pathParts(url.pathname);
    if (parts[0] === 'static' && parts.length === 2 && STATIC[parts[1]!] && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, { 'content-type': STATIC[parts[1]!]!, 'cache-control': 'max-age=300' });
      return void res.end(staticFile(parts[1]!));
    }
    // The chat holds no store: the agent's tool calls each take the store of their moment.
    if (parts[0] === 'api' && parts[1] === 'chat' && parts.length === 2) {
      if (req.method !== 'POST') return json(res, 405, { error: 'POST a question to /api/chat' });
      return await streamChat(res, parse(ChatRequest, await readJson(req), 'chat request'), deps.agent);
    }
    return await deps.moments((m) => {
      today = m.today;
      return parts[0] === 'api' ? api(m, req, res, url, parts) : page(m, req, res, url, parts);
    });
  } catch (e) {
    const status = statusOf(e);
    if (status === 500) deps.log.error(`${req.method} ${url.pathname}: ${e instanceof AppError ? e.message : ((e as Error).stack ?? errorMessage(e))}`);
    const message = status === 500 ? `internal error: ${errorMessage(e).split('\n')[0]}` : errorMessage(e).split('\n')[0]!;
    if (res.headersSent) return void res.end();
    if (parts[0] === 'api') return json(res, status, { error: message });
    return html(res, status, errorPage(status, message, today));
  }
}

/** Listens on host:port (0 picks a free port); resolves with the server and its address. */
export async function startWebServer(deps: WebDeps, port: number, host: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const t0 = performance.now();
    res.on('finish', () => deps.log.debug(`${req.method} ${req.url} ${res.statusCode} ${(performance.now() - t0).toFixed(1)} ms`));
    void route(deps, req, res);
  });
  await listen(server, port, host);
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}` };
}
