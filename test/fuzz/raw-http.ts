// Hostile HTTP requests written as raw bytes over a real socket (what fetch would refuse to send), and what came back.
import { connect } from 'node:net';
import fc from 'fast-check';
import { expect } from 'vitest';
import { hostileString, JS_INTERNAL, PROTO_NAMES, STACK_LINE } from './fuzz.js';

export interface RawRequest {
  method: string;
  target: string;
  /** Header lines in order; a name may repeat. */
  headers: [string, string][];
  body: string;
  /** How Content-Length relates to the body: right, absent, too small (the rest reads as a next request) or too large. */
  length: 'right' | 'none' | 'short' | 'long';
}

export interface RawResponse {
  /** The status of the first response, or undefined when the server closed without one. */
  status: number | undefined;
  head: string;
  body: string;
}

/** Writes the request and reads until the server closes (or 20 s pass: then what arrived so far). */
export function send(port: number, r: RawRequest): Promise<RawResponse> {
  const body = Buffer.from(r.body, 'utf8');
  const lines = [`${r.method} ${r.target} HTTP/1.1`, ...r.headers.map(([k, v]) => `${k}: ${v}`), 'Connection: close'];
  if (r.length !== 'none')
    lines.push(`Content-Length: ${r.length === 'right' ? body.length : r.length === 'short' ? Math.max(0, body.length - 3) : body.length + 10}`);
  const bytes = Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    // A body promised longer than sent is followed by the end of the stream (else the server would wait for the rest); other
    // requests keep the socket open, as clients do: Node answers no request whose client half-closed before the answer.
    const socket = connect(port, '127.0.0.1', () => (r.length === 'long' ? socket.end(bytes) : socket.write(bytes)));
    const done = () => {
      clearTimeout(guard);
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const head = (split < 0 ? all : all.subarray(0, split)).toString('latin1');
      const rest = split < 0 ? Buffer.alloc(0) : all.subarray(split + 4);
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      const content = /\r\ntransfer-encoding: chunked/i.test(head) ? dechunked(rest) : rest;
      resolve({ status: m ? Number(m[1]) : undefined, head, body: content.toString('utf8') });
    };
    const guard = setTimeout(() => (socket.destroy(), done()), 20_000);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('close', done);
    socket.on('error', () => undefined);
  });
}

/** Every byte of the text's UTF-8 outside [A-Za-z0-9._~-] as %XX (encodeURIComponent throws on a lone surrogate). */
const percentEncoded = (s: string) =>
  [...Buffer.from(s, 'utf8')]
    .map((b) => (/[\w.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');

/** A chunked body's content (what arrived of it). */
function dechunked(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    const size = eol < 0 ? NaN : parseInt(raw.subarray(at, eol).toString('latin1'), 16);
    if (!(size > 0)) return Buffer.concat(parts);
    parts.push(raw.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

const segment = fc.oneof(
  fc.constantFrom(
    'api',
    'locations',
    'synthetic-city',
    'history',
    'forecast',
    'hindcast',
    'status',
    'static',
    'app.js',
    'style.css',
    'mcp',
    'chat',
    'model',
    '..',
    '.',
    '',
  ),
  fc.constantFrom(...PROTO_NAMES, '%', '%zz', '%E0%A4', '%00', '%2F', '%2e%2e', '%C0%AF', '?', '#', ';', '~'),
  hostileString.map((s) => percentEncoded(s.slice(0, 200))),
);

/** A request target: paths of the server's routes and near misses, odd escapes, absolute and malformed forms. */
export const target = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      '/',
      '/api',
      '/api/locations',
      '/api/locations/synthetic-city',
      '/api/locations/synthetic-city/forecast',
      '/api/locations/synthetic-city/history?days=7',
      '/api/locations/synthetic-city/hindcast',
      '/api/model',
      '/api/status',
      '/api/chat',
      '/status',
      '/locations/synthetic-city',
      '/static/app.js',
      '/mcp',
      '/features/pm25_state/1',
      '/features/pm25_state/x',
      '/features/constructor/1',
      '/health',
    ),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.array(segment, { maxLength: 5 }),
        fc.option(fc.constantFrom('?days=7', '?days=-1', '?days=1e9', '?days=abc', '?token=x', '?a=%', '?days=7&days=8')),
      )
      .map(([p, q]) => `/${p.join('/')}${q ?? ''}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('*', 'http://%', 'http://[::1', 'http://127.0.0.1/', '//evil.example/x', '/\\evil', 'http://localhost:1/api', '/%') },
);

/** Methods the server knows, ones it does not, and tokens Node's parser refuses. */
export const method = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('GET', 'POST', 'HEAD', 'DELETE', 'OPTIONS') },
  { weight: 1, arbitrary: fc.constantFrom('PUT', 'PATCH', 'TRACE', 'PROPFIND', 'CONNECT', 'FOO', 'get', 'G ET') },
);

/** Header values as bytes allow: latin1 text without CR or LF. */
const headerText = hostileString.map((s) => s.slice(0, 2_000).replace(/[\r\n\u0100-\uffff]/g, '?'));

export function headers(port: number): fc.Arbitrary<[string, string][]> {
  const host = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, '127.0.0.1') },
    { weight: 1, arbitrary: fc.constantFrom('evil.example', '', '[::1', '%', 'localhost:99999', '127.0.0.1:abc', 'localhost.evil.example') },
    { weight: 1, arbitrary: headerText },
  );
  const origin = fc.oneof(fc.constantFrom(`http://localhost:${port}`, `http://127.0.0.1:${port}`, 'http://evil.example', 'null', 'file://', ''), headerText);
  const type = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'text/event-stream', 'multipart/form-data; boundary=x', '');
  const accept = fc.constantFrom('application/json, text/event-stream', 'application/json', 'text/event-stream', '*/*', 'text/html');
  const other = fc.tuple(
    fc.constantFrom('Authorization', 'Cookie', 'Mcp-Session-Id', 'Mcp-Protocol-Version', 'Transfer-Encoding', 'X-Forwarded-For', 'Expect', 'Range'),
    headerText,
  );
  return fc
    .tuple(
      fc.option(host, { freq: 8 }),
      fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: origin }),
      fc.option(type, { freq: 4 }),
      fc.option(accept, { freq: 4 }),
      fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(other, { maxLength: 2 }) }),
    )
    .map(([h, o, t, a, rest]) => {
      const out: [string, string][] = [];
      if (h !== null) out.push(['Host', h]);
      if (o !== null) out.push(['Origin', o]);
      if (t !== null) out.push(['Content-Type', t]);
      if (a !== null) out.push(['Accept', a]);
      return [...out, ...rest];
    });
}

/** JSON-RPC messages of every shape: right ones, wrong versions, ids, methods and params. */
const rpc = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant('2.0'), fc.jsonValue({ maxDepth: 0 })),
    id: fc.oneof(
      fc.nat(),
      hostileString.map((s) => s.slice(0, 100)),
      fc.constant(null),
      fc.jsonValue({ maxDepth: 1 }),
    ),
    method: fc.oneof(
      fc.constantFrom('initialize', 'tools/list', 'tools/call', 'resources/list', 'resources/read', 'prompts/get', 'ping', 'notifications/cancelled'),
      hostileString,
    ),
    params: fc.oneof(
      fc.record({ name: fc.constantFrom('list_locations', 'get_air_quality_history', 'constructor'), arguments: fc.jsonValue({ maxDepth: 2 }) }),
      fc.record({
        protocolVersion: fc.constantFrom('2025-06-18', '2025-03-26', '1999-01-01'),
        capabilities: fc.jsonValue({ maxDepth: 1 }),
        clientInfo: fc.jsonValue({ maxDepth: 1 }),
      }),
      fc.record({ uri: fc.constantFrom('airq://feature-groups/air_quality/1', 'airq://x', 'file:///etc/passwd') }),
      fc.jsonValue({ maxDepth: 2 }),
    ),
  },
  { requiredKeys: [] },
);

/** A feature server request: entity keys as rows or columns (right, wrong and hostile), passed features, a return type. */
const featureRequest = fc
  .record(
    {
      entities: fc.oneof(
        fc.array(fc.record({ location_id: fc.oneof(fc.constant('synthetic-city'), fc.jsonValue({ maxDepth: 1 })) }, { requiredKeys: [] }), { maxLength: 4 }),
        fc.dictionary(fc.constantFrom('location_id', '__proto__', 'x'), fc.array(fc.jsonValue({ maxDepth: 0 }), { maxLength: 3 })),
        fc.jsonValue({ maxDepth: 2 }),
      ),
      passedFeatures: fc.oneof(fc.record({ pm25_lag1: fc.jsonValue({ maxDepth: 0 }) }), fc.jsonValue({ maxDepth: 2 })),
      returnType: fc.oneof(fc.constantFrom('object', 'array'), fc.jsonValue({ maxDepth: 0 })),
    },
    { requiredKeys: [] },
  )
  .map((x) => JSON.stringify(x));

/** A body: nothing, broken JSON, a chat question, JSON-RPC (one or a batch), a feature request, or any JSON. */
export const body = fc.oneof(
  fc.constant(''),
  fc.constantFrom('{', '{"question":', 'null', '[]', '{"jsonrpc":"2.0"', '\u0000\u0001', '{"question": "PM2.5 in Synthetic City?"}'),
  fc
    .record(
      {
        question: fc.oneof(
          hostileString.map((s) => s.slice(0, 3000)),
          fc.jsonValue({ maxDepth: 1 }),
        ),
        history: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: [] },
    )
    .map((x) => JSON.stringify(x)),
  rpc.map((x) => JSON.stringify(x)),
  fc.array(rpc, { maxLength: 3 }).map((x) => JSON.stringify(x)),
  featureRequest,
  fc.jsonValue({ maxDepth: 3 }).map((x) => JSON.stringify(x)),
  hostileString.map((s) => s.slice(0, 100_000)),
);

export function request(port: number): fc.Arbitrary<RawRequest> {
  return fc.record({ method, target, headers: headers(port), body, length: fc.constantFrom('right', 'right', 'right', 'none', 'short', 'long') });
}

/** The request and its answer in one line, for a failure message. */
export const explain = (r: RawRequest, res: RawResponse) =>
  `${r.method} ${r.target.slice(0, 200)} ${JSON.stringify(r.headers).slice(0, 300)} length=${r.length} body=${JSON.stringify(r.body.slice(0, 200))} -> ${res.status}: ${res.body.slice(0, 300)}`;

/** A status line below 500 and no stack; only a request whose body never fully arrives may go unanswered. */
export function expectAnswered(r: RawRequest, res: RawResponse): void {
  const what = explain(r, res);
  if (res.status === undefined) {
    expect(r.length, `no answer: ${what}`).toBe('long');
    return;
  }
  expect(res.status, what).toBeGreaterThanOrEqual(200);
  expect(res.status, what).toBeLessThan(500);
  expect(res.body, what).not.toMatch(STACK_LINE);
  expect(res.body, what).not.toMatch(JS_INTERNAL);
}
