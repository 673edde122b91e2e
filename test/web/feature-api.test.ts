// The HTTP feature server of airq serve on the Beijing store: POST /features/{view}/{version} gives the vectors the library's
// getFeatureVector gives (both body forms, batches, not_found), every refusal a {error, hint} with its status and nothing
// written; the token (bearer only) and GET /health (no token, nothing private with one; 503 when the store cannot be read).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { FeatureStore, LiveStore, type FeatureView } from '../../src/store/index.js';
import { momentsOf } from '../../src/airquality/services/moment.js';
import { listLocations } from '../../src/airquality/services/locations.js';
import { startWebServer } from '../../src/web/server.js';
import { beijingStore } from '../helpers/stores.js';

const dir = beijingStore();
let live: LiveStore;
let library: FeatureStore;
let fv: FeatureView;
let places: string[];
const servers: Server[] = [];

async function serve(token?: string, source: LiveStore = live): Promise<string> {
  const agent = { ask: () => Promise.reject(new Error('no chat here')) };
  const web = await startWebServer({ moments: momentsOf(source), log: silentLogger, agent, token }, 0, '127.0.0.1');
  servers.push(web.server);
  return web.url;
}

/** What a writer would change: the store's database, read/CURRENT and the snapshot served (names, sizes, modification times). */
function fingerprint(): string {
  const files = ['store.duckdb', 'read/CURRENT', ...readdirSync(join(dir!, 'read'), { recursive: true, encoding: 'utf8' }).map((f) => `read/${f}`)];
  return files.map((f) => `${f}:${statSync(join(dir!, f)).size}:${statSync(join(dir!, f)).mtimeMs}`).join('\n');
}

const post = (base: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

beforeAll(async () => {
  if (!dir) return;
  live = await LiveStore.open({ dir });
  library = await FeatureStore.open({ dir, readOnly: true });
  fv = library.getFeatureView('pm25_state', 1);
  places = (await listLocations(library)).map((l) => l.location_id);
}, 60_000);
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await live?.close();
  await library?.close();
});

describe.skipIf(!dir)('POST /features/{view}/{version}', () => {
  let base: string;
  let before: string;
  beforeAll(async () => {
    base = await serve();
    before = fingerprint();
  });

  it('gives a batch of entities the vectors getFeatureVector gives, in training order, and not_found for an entity with no online row', async () => {
    expect(places.length).toBeGreaterThanOrEqual(10);
    const entities = [...places.map((location_id) => ({ location_id })), { location_id: 'beijing-atlantis' }];
    const r = await post(base, '/features/pm25_state/1', { entities });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { view: string; version: number; featureNames: string[]; results: { entity: object; status: string; vector: unknown }[] };
    expect(body).toMatchObject({ view: 'pm25_state', version: 1, featureNames: await fv.featureNames() });
    const expected = JSON.parse(JSON.stringify(await fv.getFeatureVectors(entities.slice(0, -1)))) as object[];
    expect(body.results.slice(0, -1)).toEqual(entities.slice(0, -1).map((entity, i) => ({ entity, status: 'found', vector: expected[i] })));
    expect(Object.keys(body.results[0]!.vector as object)).toEqual(body.featureNames);
    expect(body.results.at(-1)).toEqual({ entity: { location_id: 'beijing-atlantis' }, status: 'not_found', vector: null });
    await expect(fv.getFeatureVector({ location_id: 'beijing-atlantis' })).rejects.toThrow(NotFoundError);
  });

  it('takes Feast’s columnar form, arrays in training order and passed features, as the library does', async () => {
    const two = places.slice(0, 2);
    const passedFeatures = { pm25_lag1: 999 };
    const r = await post(base, '/features/pm25_state/1', { entities: { location_id: two }, returnType: 'array', passedFeatures });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { results: { status: string; vector: unknown }[] };
    const expected = await fv.getFeatureVectors(
      two.map((location_id) => ({ location_id })),
      { returnType: 'array', passedFeatures },
    );
    expect(body.results.map((x) => x.vector)).toEqual(JSON.parse(JSON.stringify(expected)));
    expect((body.results[0]!.vector as number[])[0]).toBe(999);
    const perEntity = await post(base, '/features/pm25_state/1', {
      entities: two.map((location_id) => ({ location_id })),
      passedFeatures: [{}, { pm25_lag2: 7 }],
    });
    const vectors = ((await perEntity.json()) as { results: { vector: Record<string, number> }[] }).results.map((x) => x.vector);
    expect([vectors[0]!.pm25_lag2 === 7, vectors[1]!.pm25_lag2]).toEqual([false, 7]);
  });

  it('refuses bad requests with a status, an error and a hint, and writes nothing', async () => {
    const one = [{ location_id: places[0] }];
    const cases: [string, () => Promise<Response>, number, RegExp, RegExp][] = [
      [
        'unknown view',
        () => post(base, '/features/nope/1', { entities: one }),
        404,
        /no feature view named "nope"; the store has: .*pm25_state/,
        /\/features\/pm25_state\/1/,
      ],
      [
        'unknown version',
        () => post(base, '/features/pm25_state/9', { entities: one }),
        404,
        /pm25_state has no version 9; versions: 1/,
        /\/features\/pm25_state\/1/,
      ],
      ['a version that is no number', () => post(base, '/features/pm25_state/latest', { entities: one }), 404, /no version "latest"/, /pm25_state\/1/],
      ['no version', () => post(base, '/features/pm25_state', { entities: one }), 404, /no endpoint \/features\/pm25_state/, /\{view\}\/\{version\}/],
      [
        'an unknown key column',
        () => post(base, '/features/pm25_state/1', { entities: [...one, { station: 'Aotizhongxin' }] }),
        400,
        /^entities\.1: "station" is not a key column; missing location_id \(pm25_state v1 is served by location_id\)$/,
        /location_id \(string\)/,
      ],
      ['a missing key column', () => post(base, '/features/pm25_state/1', { entities: [{}] }), 400, /entities\.0: missing location_id/, /location_id/],
      [
        'a number for a string key',
        () => post(base, '/features/pm25_state/1', { entities: [{ location_id: 5 }] }),
        400,
        /location_id is a string, got a number/,
        /location_id/,
      ],
      [
        'an object as a key value',
        () => post(base, '/features/pm25_state/1', { entities: [{ location_id: { a: 1 } }] }),
        400,
        /entities\.0\.location_id: a key value is/,
        /entities/,
      ],
      [
        'malformed JSON',
        () => post(base, '/features/pm25_state/1', '{\n  "entities": [\n    {"location_id" "x"}]}'),
        400,
        /^the body is not valid JSON: line 3, column 20: Expected ':' after property name$/,
        /entities/,
      ],
      [
        'a stray bracket',
        () => post(base, '/features/pm25_state/1', '{"entities": [}'),
        400,
        /^the body is not valid JSON: Unexpected token '}' near "\{"entities": \[\}"$/,
        /entities/,
      ],
      ['no entities', () => post(base, '/features/pm25_state/1', { entities: [] }), 400, /give at least one entity/, /entities/],
      ['1,001 entities', () => post(base, '/features/pm25_state/1', { entities: Array(1001).fill(one[0]) }), 400, /at most 1000 entities/, /entities/],
      [
        'columns of two lengths',
        () => post(base, '/features/pm25_state/1', { entities: { location_id: ['a', 'b'], x: ['c'] } }),
        400,
        /differ in length \(location_id 2, x 1\)/,
        /entities/,
      ],
      [
        'passed features not one per entity',
        () => post(base, '/features/pm25_state/1', { entities: one, passedFeatures: [{}, {}] }),
        400,
        /2 objects for 1 entities/,
        /passedFeatures/,
      ],
      [
        'a passed feature the view has not',
        () => post(base, '/features/pm25_state/1', { entities: one, passedFeatures: { nope: 1 } }),
        400,
        /passed feature "nope"/,
        /passedFeatures/,
      ],
      ['an unknown field', () => post(base, '/features/pm25_state/1', { entities: one, features: ['x'] }), 400, /Unrecognized key: "features"/, /returnType/],
      [
        'a view that cannot serve online',
        () => post(base, `/features/air_quality_fv/${library.getFeatureView('air_quality_fv').version}`, { entities: one }),
        409,
        /is not online-enabled, so the view cannot serve online/,
        /online-enabled/,
      ],
      [
        'text/plain',
        () => post(base, '/features/pm25_state/1', JSON.stringify({ entities: one }), { 'content-type': 'text/plain' }),
        415,
        /must be application\/json, not text\/plain/,
        /Content-Type: application\/json/,
      ],
      ['GET', () => fetch(`${base}/features/pm25_state/1`), 405, /GET is not allowed/, /POST/],
      [
        'a body over 1 MiB',
        () => post(base, '/features/pm25_state/1', { entities: one, pad: 'x'.repeat(1100 * 1024) }),
        413,
        /over 1 MiB/,
        /at most 1000 entities/,
      ],
    ];
    for (const [what, send, status, error, hint] of cases) {
      const r = await send();
      const body = (await r.json()) as { error: string; hint: string };
      expect([what, r.status], body.error).toEqual([what, status]);
      expect(body.error, what).toMatch(error);
      expect(body.hint, what).toMatch(hint);
      if (status === 405) expect(r.headers.get('allow')).toBe('POST');
    }
    expect(fingerprint()).toBe(before);
  });

  it('refuses a streamed body past 1 MiB with no length given, and keeps serving', async () => {
    const chunk = new TextEncoder().encode(`{"entities": [], "pad": "${'x'.repeat(64 * 1024)}`);
    let sent = 0;
    const body = new ReadableStream({
      pull(c) {
        if (sent++ < 40) c.enqueue(chunk);
        else c.close();
      },
    });
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' };
    const r = await fetch(`${base}/features/pm25_state/1`, init as RequestInit);
    expect([r.status, ((await r.json()) as { error: string }).error]).toEqual([413, 'the body is over 1 MiB']);
    expect((await post(base, '/features/pm25_state/1', { entities: [{ location_id: places[0] }] })).status).toBe(200);
  });
});

describe.skipIf(!dir)('the token and GET /health', () => {
  it('needs the bearer token for /features when one is set (the page’s cookie is not enough); /health needs none and names no directory', async () => {
    const base = await serve('sekret-token');
    const one = { entities: [{ location_id: places[0] }] };
    const none = await post(base, '/features/pm25_state/1', one);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      error: 'this endpoint needs the server’s token',
      hint: 'send the header Authorization: Bearer $AIRQ_SERVE_TOKEN (the page’s cookie is not accepted here)',
    });
    const visit = await fetch(`${base}/?token=sekret-token`, { redirect: 'manual' });
    const cookie = visit.headers.get('set-cookie')!.split(';')[0]!;
    expect((await fetch(`${base}/api/model`, { headers: { cookie } })).status).toBe(200);
    expect((await post(base, '/features/pm25_state/1', one, { cookie })).status).toBe(401);
    expect((await post(base, '/features/pm25_state/1', one, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post(base, '/features/pm25_state/1', one, { authorization: 'Bearer sekret-token' })).status).toBe(200);
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', onlineStore: { kind: 'memory', ok: true }, store: { snapshot: { name: expect.stringMatching(/^s\d+$/) } } });
    expect(JSON.stringify(body)).not.toContain(dir!);
  });

  it('says which snapshot and commit it serves, the online store and uptime; 503 once the store cannot be read', async () => {
    const own = await LiveStore.open({ dir: dir! });
    const base = await serve(undefined, own);
    const r = await fetch(`${base}/health`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { store: { dir: string; snapshot: { commit: number } }; uptimeSeconds: number };
    const { name, commit, publishedAt } = library.snapshot!;
    expect(body).toMatchObject({ status: 'ok', store: { dir: dir!, snapshot: { name, commit, publishedAt } }, onlineStore: { kind: 'memory', ok: true } });
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect((await fetch(`${base}/health`, { method: 'POST' })).status).toBe(405);
    await own.close();
    const gone = await fetch(`${base}/health`);
    expect(gone.status).toBe(503);
    expect(await gone.json()).toMatchObject({ status: 'unavailable', error: 'the store cannot be read: this live store is closed' });
  });
});
