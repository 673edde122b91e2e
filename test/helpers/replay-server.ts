// A local HTTP server that replays scripted answers per path, standing in for APIs outside this machine.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

export interface Scripted {
  status?: number;
  /** An object is sent as JSON; a string or Buffer as is. */
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Never answer: the request stays open until the client gives up (to test cancelling without timing). */
  hold?: boolean;
}

/** A scripted answer, or a function of the request that makes one (an LLM stand-in that reads what it was sent). */
export type Answer = Scripted | ((request: { url: URL; body: string }) => Scripted);

export interface ReplayServer {
  url: string;
  /** Answers for a path, used in order; the last one repeats. */
  script(path: string, answers: Answer[]): void;
  requests: URL[];
  /** The request bodies, in order (empty for GETs). */
  bodies: string[];
  /** Resolves once `n` requests have arrived (their bodies read). */
  received(n: number): Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections(); // aborted requests leave keep-alive sockets that would hold close() open
    await new Promise((r) => s.close(r));
  }
});

export async function replayServer(): Promise<ReplayServer> {
  const scripts = new Map<string, Answer[]>();
  const requests: URL[] = [];
  const bodies: string[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    bodies.push(body);
    for (const w of waiters.filter((w) => bodies.length >= w.n)) w.resolve();
    const queue = scripts.get(url.pathname) ?? [{ status: 404, body: { error: true, reason: 'no such path in the replay script' } }];
    const next = queue.length > 1 ? queue.shift()! : queue[0]!;
    const answer = typeof next === 'function' ? next({ url, body }) : next;
    if (answer.hold) return;
    const send = () => {
      if (res.destroyed) return;
      const payload = typeof answer.body === 'string' || Buffer.isBuffer(answer.body) ? answer.body : JSON.stringify(answer.body ?? {});
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
      res.end(payload);
    };
    if (answer.delayMs) setTimeout(send, answer.delayMs);
    else send();
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const received = (n: number) => new Promise<void>((resolve) => (bodies.length >= n ? resolve() : waiters.push({ n, resolve })));
  return { url: `http://127.0.0.1:${port}`, script: (path, answers) => scripts.set(path, [...answers]), requests, bodies, received };
}
