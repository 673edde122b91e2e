// POST /features/{view}/{version} (Feast's get-online-features): entity keys in, the view's online feature vectors out, each
// "found" or "not_found"; every refusal a JSON {error, hint} with its status. It only reads: nothing is ever written.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BusyError, errorMessage, NotFoundError, UnavailableError, ValidationError } from '../core/errors.js';
import { discardBody, readBody } from '../core/http-body.js';
import type { Logger } from '../core/logger.js';
import { printable } from '../core/printable.js';
import type { FeatureStore, FeatureVector, FeatureView } from '../store/index.js';
import type { Moments } from '../airquality/services/moment.js';
import { featureRequestOf, MAX_ENTITIES, type FeatureRequest, type KeyValue } from './feature-request.js';

export const FEATURE_BODY_LIMIT = 1024 * 1024;
const USAGE = 'POST /features/{view}/{version} with {"entities": [{"<key column>": value}, …]} or {"entities": {"<key column>": [value, …]}}';

/** An answer other than 200: its status, what was wrong, and what the client can do about it. */
export class FeatureFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly hint: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface FeatureResult {
  entity: Record<string, KeyValue>;
  /** Like Feast's statuses: an entity with no online row (or one past its TTL) is an answer, not an error. */
  status: 'found' | 'not_found';
  vector: FeatureVector | null;
}
export interface FeatureAnswer {
  view: string;
  version: number;
  /** The vector's features in training order (an array vector's order). */
  featureNames: string[];
  results: FeatureResult[];
}

/** A view's serving key: the root group's primary key columns and their types. */
interface ServingKey {
  label: string;
  columns: { name: string; type: string }[];
}

function servingKeyOf(fv: FeatureView): ServingKey {
  const root = fv.query().source.meta();
  const columns = root.primaryKey.map((name) => ({ name, type: root.schema?.find((s) => s.name === name)?.type ?? 'string' }));
  return { label: `${fv.name} v${fv.version}`, columns };
}

const keyList = (key: ServingKey) => key.columns.map((c) => c.name).join(', ');
const EXAMPLE: Record<string, string> = { int: '1', float: '1.5', bool: 'true', date: '"2024-06-30"', timestamp: '"2024-06-30T12:00:00Z"' };
const keyHint = (key: ServingKey) =>
  `${key.label} is served by ${key.columns.map((c) => `${c.name} (${c.type})`).join(', ')}: give each entity exactly these, e.g. ` +
  `{"entities": [{${key.columns.map((c) => `"${c.name}": ${EXAMPLE[c.type] ?? '"…"'}`).join(', ')}}]}`;

/** The view asked for; a 404 naming the views and versions the store has. */
function viewOf(store: FeatureStore, name: string, versionText: string): FeatureView {
  const version = /^[1-9]\d{0,8}$/.test(versionText) ? Number(versionText) : undefined;
  try {
    const fv = store.getFeatureView(name, version); // the latest when the version is not a number: the name is checked first
    if (version === undefined) throw new NotFoundError(`feature view ${name} has no version ${JSON.stringify(versionText)}; a version is a whole number`);
    return fv;
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
    const views = store.listFeatureViews().map((v) => `/features/${v.name}/${v.version}`);
    throw new FeatureFailure(404, e.message, `this store serves ${views.join(', ') || 'no feature views yet'}`);
  }
}

const kindOf = (v: KeyValue) => (typeof v === 'string' ? 'a string' : typeof v === 'number' ? 'a number' : 'true/false');
const fits = (type: string, v: KeyValue) =>
  type === 'int' || type === 'float' ? typeof v === 'number' : type === 'bool' ? typeof v === 'boolean' : typeof v === 'string';

/** Each entity gives exactly the serving key columns, each a value of its column's type; else a 400 naming them. */
function checkKeys(entities: readonly Record<string, KeyValue>[], key: ServingKey): void {
  const names = new Set(key.columns.map((c) => c.name));
  entities.forEach((entity, i) => {
    const unknown = Object.keys(entity).filter((k) => !names.has(k));
    const missing = key.columns.filter((c) => !Object.hasOwn(entity, c.name)).map((c) => c.name);
    const problems = [
      ...(unknown.length ? [`${unknown.map((k) => JSON.stringify(k)).join(', ')} ${unknown.length > 1 ? 'are not key columns' : 'is not a key column'}`] : []),
      ...(missing.length ? [`missing ${missing.join(', ')}`] : []),
    ];
    if (problems.length) throw new FeatureFailure(400, `entities.${i}: ${problems.join('; ')} (${key.label} is served by ${keyList(key)})`, keyHint(key));
    for (const c of key.columns) {
      const v = entity[c.name]!;
      if (!fits(c.type, v)) throw new FeatureFailure(400, `entities.${i}.${c.name}: the key column ${c.name} is a ${c.type}, got ${kindOf(v)}`, keyHint(key));
    }
  });
}

/** The vectors of every entity asked for, in one batched lookup per joined group (the library's findFeatureVectors). */
export async function featureVectors(store: FeatureStore, name: string, versionText: string, request: FeatureRequest): Promise<FeatureAnswer> {
  const fv = viewOf(store, name, versionText);
  let featureNames: string[];
  try {
    featureNames = await fv.featureNames();
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    throw new FeatureFailure(
      409,
      e.message,
      'only views whose feature groups are all online-enabled serve vectors (and one with transformations needs a training dataset)',
    );
  }
  const key = servingKeyOf(fv);
  checkKeys(request.entities, key);
  let vectors: (FeatureVector | undefined)[];
  try {
    vectors = await fv.findFeatureVectors(request.entities, { perEntity: request.passed, returnType: request.returnType });
  } catch (e) {
    if (e instanceof ValidationError) throw new FeatureFailure(400, e.message, `${keyHint(key)}; passedFeatures names columns of the view`);
    throw e;
  }
  const results: FeatureResult[] = request.entities.map((entity, i) => {
    const vector = vectors[i];
    return vector === undefined ? { entity, status: 'not_found', vector: null } : { entity, status: 'found', vector };
  });
  return { view: fv.name, version: fv.version, featureNames, results };
}

/** The request's body as a feature request: POST, JSON, within 1 MiB (refused while reading, never kept past it). */
async function requestOf(req: IncomingMessage, parts: readonly string[], state: { read: boolean }): Promise<FeatureRequest> {
  if (req.method !== 'POST') throw new FeatureFailure(405, `${req.method} is not allowed at /features`, USAGE, { allow: 'POST' });
  if (parts.length !== 3) throw new FeatureFailure(404, `no endpoint /${parts.map(encodeURIComponent).join('/')}`, USAGE);
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new FeatureFailure(415, `the body must be application/json, not ${printable(type) || 'untyped'}`, 'send the header Content-Type: application/json');
  }
  state.read = true;
  const bytes = await readBody(req, FEATURE_BODY_LIMIT);
  if (bytes === undefined) {
    throw new FeatureFailure(413, 'the body is over 1 MiB', `send at most ${MAX_ENTITIES} entities a request, and split bigger batches over several requests`);
  }
  return featureRequestOf(bytes);
}

function failureOf(e: unknown): FeatureFailure {
  if (e instanceof FeatureFailure) return e;
  const message = errorMessage(e).split('\n')[0]!;
  if (e instanceof ValidationError) return new FeatureFailure(400, message, `${USAGE}; optional "passedFeatures" and "returnType": "object" or "array"`);
  if (e instanceof NotFoundError) return new FeatureFailure(404, message, USAGE);
  if (e instanceof BusyError) return new FeatureFailure(503, message, 'try again in a few seconds', { 'retry-after': '5' });
  // The operator's advice (the online store's address, what to set) goes to the server log, not to API clients.
  if (e instanceof UnavailableError) return new FeatureFailure(503, 'the online store is unavailable', 'try again in a few seconds', { 'retry-after': '5' });
  return new FeatureFailure(500, `internal error: ${message}`, 'a fault in airq, not in the request: the server log has the details');
}

function send(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(value));
}

/** Answers one request to /features/…; `parts` are the path's decoded segments. */
export async function serveFeatures(req: IncomingMessage, res: ServerResponse, parts: readonly string[], moments: Moments, log: Logger): Promise<void> {
  const body = { read: false };
  try {
    const request = await requestOf(req, parts, body);
    const answer = await moments(({ store }) => featureVectors(store, parts[1]!, parts[2]!, request));
    send(res, 200, answer);
  } catch (e) {
    // A client that went away mid-body (or mid-answer) is ordinary: there is no one to answer.
    if (req.destroyed && !req.complete) return void log.debug(`${req.method} /${printable(parts.join('/'))}: the client went away (${errorMessage(e)})`);
    const f = failureOf(e);
    const where = `${req.method} /${printable(parts.join('/'))}`;
    if (f.status === 500) log.error(`${where}: ${(e as Error).stack ?? errorMessage(e)}`);
    else if (e instanceof UnavailableError) log.warn(`${where}: ${errorMessage(e)}`);
    else log.info(`${where}: ${f.status} ${printable(f.message)}`);
    // Refused on its headers: the body is read and dropped (up to a bound), so the client finishes sending and reads the answer.
    if (!body.read) await discardBody(req, 16 * FEATURE_BODY_LIMIT);
    if (res.headersSent) return void res.end();
    send(res, f.status, { error: f.message, hint: f.hint }, f.headers);
  }
}
