// airq serve against hostile requests: malformed targets, foreign Host and Origin headers, missing tokens, names of
// Object.prototype and bursts of chats each get an answer (400, 403, 401, 404, 429), and the server keeps serving.
import { connect } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentResult } from '../../src/agent/loop.js';
import { NotFoundError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Moments } from '../../src/airquality/services/moment.js';
import { startWebServer, type WebDeps } from '../../src/web/server.js';
import { send } from '../fuzz/raw-http.js';

const noStore: Moments = () => Promise.reject(new NotFoundError('no store in this test'));

/** A chat agent whose answers wait until `release()`; `started` counts the questions it took. */
function heldAgent() {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  const state = { started: 0, release: () => open() };
  const agent: WebDeps['agent'] = {
    ask: async (question) => {
      state.started++;
      await gate;
      return { answer: `about ${question}`, toolCalls: [], traceId: 't', ms: 1, flagged: false, ungrounded: [] } as unknown as AgentResult;
    },
  };
  return { agent, state };
}

let servers: Server[] = [];
afterEach(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  servers = [];
});

async function serve(deps: Partial<WebDeps> = {}): Promise<{ base: string; port: number }> {
  const web = await startWebServer({ moments: noStore, log: silentLogger, agent: heldAgent().agent, ...deps }, 0, '127.0.0.1');
  servers.push(web.server);
  return { base: web.url, port: Number(new URL(web.url).port) };
}

/** One request written as raw bytes (what fetch would refuse to send); the status line's code. */
function raw(port: number, request: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let data = '';
    socket.on('data', (d) => {
      data += d.toString();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (m) {
        socket.destroy();
        resolve(Number(m[1]));
      }
    });
    socket.on('error', reject);
  });
}

const ask = (base: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ question: 'air?' }) });

describe('airq serve under hostile requests', () => {
  it('answers malformed targets with 400 and keeps serving', async () => {
    const { base, port } = await serve();
    for (const target of ['http://%', 'http://[::1', '/%E0%A4', '/api/locations/%zz']) {
      expect(await raw(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`), target).toBe(400);
    }
    expect((await fetch(`${base}/static/style.css`)).status).toBe(200);
  });

  it('refuses foreign Host and Origin headers (DNS rebinding) and lets this machine in', async () => {
    const { base, port } = await serve();
    expect(await raw(port, `GET /static/app.js HTTP/1.1\r\nHost: evil.example\r\n\r\n`)).toBe(403);
    expect(await raw(port, `GET /static/app.js HTTP/1.0\r\n\r\n`)).toBe(403); // no Host at all
    const foreign = await ask(base, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: string }).error).toMatch(/evil\.example may not call this server/);
    const own = await ask(base, { origin: `http://localhost:${port}` });
    expect(own.status).toBe(200);
    await own.body?.cancel();
  });

  it('serves only its static files: no name of Object.prototype', async () => {
    const { base } = await serve();
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect((await fetch(`${base}/static/${name}`)).status, name).toBe(404);
    expect((await fetch(`${base}/static/app.js`)).headers.get('content-type')).toMatch(/javascript/);
  });

  it('needs its token when it has one: the header, or the cookie a visit with ?token= sets', async () => {
    const lines: string[] = [];
    const log = { ...silentLogger, debug: (l: string) => void lines.push(l), info: (l: string) => void lines.push(l) };
    const { base, port } = await serve({ token: 's3cret', log });
    const none = await fetch(`${base}/static/app.js`);
    expect([none.status, none.headers.get('www-authenticate')]).toEqual([401, 'Bearer']);
    expect((await fetch(`${base}/static/app.js`, { headers: { authorization: 'Bearer wrong!' } })).status).toBe(401);
    expect((await fetch(`${base}/static/app.js`, { headers: { authorization: 'Bearer s3cret' } })).status).toBe(200);
    const visit = await fetch(`${base}/status?token=s3cret&x=1`, { redirect: 'manual' });
    expect([visit.status, visit.headers.get('location')]).toEqual([303, '/status?x=1']);
    const cookie = visit.headers.get('set-cookie')!;
    // Named for this port, derived from the token rather than the token, sent on links from other pages too.
    expect(cookie).toMatch(new RegExp(`^airq_session_${port}=[0-9a-f]{64}; HttpOnly; SameSite=Lax; Path=/$`));
    expect(cookie).not.toMatch(/s3cret/);
    expect((await fetch(`${base}/static/app.js`, { headers: { cookie: cookie.split(';')[0]! } })).status).toBe(200);
    expect((await fetch(`${base}/static/app.js`, { headers: { cookie: `airq_session_1=${cookie.split('=')[1]!.split(';')[0]}` } })).status).toBe(401);
    expect((await fetch(`${base}/static/app.js`, { headers: { cookie: `airq_session_${port}=%E0` } })).status).toBe(401);
    expect((await fetch(`${base}/status?token=wrong`, { redirect: 'manual' })).status).toBe(401);
    // The redirect stays on this server, and no log line carries the token.
    const odd = await fetch(`${base}/.//evil.example/x?token=s3cret`, { redirect: 'manual' });
    expect(odd.headers.get('location')).toMatch(/^\/(?!\/)/);
    expect(lines.join('\n')).not.toMatch(/s3cret/);
    expect(lines.some((l) => /token=…/.test(l))).toBe(true);
  });

  it('writes what clients send into its log lines escaped', async () => {
    const lines: string[] = [];
    // An error that quotes what the client sent, decoded (as "no location matches ..." does).
    const quoting: Moments = () => Promise.reject(new NotFoundError('no location matches "\u001b[2J\u001b[31mHACKED"'));
    const { port } = await serve({ moments: quoting, log: { ...silentLogger, info: (l: string) => void lines.push(l) } });
    expect(await raw(port, `GET /api/locations/%1b%5b2J%1b%5b31mHACKED HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)).toBe(404);
    expect(lines.join('\n')).toMatch(/\\u001b\[2J/);
    expect(lines.join('\n').includes('\u001b')).toBe(false); // no raw escape character
  });

  it('streams at most its chats at once, per client: the next gets 429 with Retry-After, and a slot frees when one ends', async () => {
    const { agent, state } = heldAgent();
    const { base } = await serve({ agent, chatLimits: { total: 10, perClient: 2 } });
    const held = [await ask(base), await ask(base)];
    expect(held.map((r) => r.status)).toEqual([200, 200]);
    const refused = await ask(base);
    expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '5']);
    expect(((await refused.json()) as { error: string }).error).toMatch(/at most 10 chats at once \(2 from one client\)/);
    expect(state.started).toBe(2);
    state.release();
    await Promise.all(held.map((r) => r.text()));
    const next = await ask(base);
    expect(next.status).toBe(200);
    expect(await next.text()).toMatch(/event: done/);
  });

  // Found by test/fuzz/http-web.test.ts: a CONNECT was dropped without an answer, and the chat stream said keep-alive to a
  // client that asked to close.
  it('answers a CONNECT with 405, and closes a chat stream when the client asks', async () => {
    const { agent, state } = heldAgent();
    const { port } = await serve({ agent });
    expect(await raw(port, `CONNECT 127.0.0.1:${port} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)).toBe(405);
    state.release();
    const body = JSON.stringify({ question: 'air?' });
    const r = await send(port, {
      method: 'POST',
      target: '/api/chat',
      headers: [
        ['Host', `127.0.0.1:${port}`],
        ['Content-Type', 'application/json'],
      ],
      body,
      length: 'right',
    });
    expect(r.status).toBe(200);
    expect(r.head).toMatch(/\r\nConnection: close\r\n/i);
    expect(r.body).toMatch(/event: done/);
  });

  it('takes no slot for a client that stalls mid-upload', async () => {
    const { agent } = heldAgent();
    const { base, port } = await serve({ agent, chatLimits: { total: 10, perClient: 2 } });
    const stalled = [0, 1].map(() => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(`POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"qu`),
      );
      return socket;
    });
    await new Promise((r) => setTimeout(r, 200));
    const r = await ask(base);
    expect(r.status).toBe(200);
    await r.body?.cancel();
    for (const s of stalled) s.destroy();
  });
});
