// Starts an HTTP server listening, with errors a person can act on (a port in use, an address this machine does not have); and finds a free loopback port for a server another process starts.
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import type { Duplex } from 'node:stream';
import { ConfigError } from './errors.js';

export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const where = `${host}:${port}`;
      if (e.code === 'EADDRINUSE') reject(new ConfigError(`${where} is already in use; pick another port with --port (0 picks a free one)`));
      else if (e.code === 'EACCES') reject(new ConfigError(`not allowed to listen on ${where}; ports below 1024 need privileges: pick another with --port`));
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND')
        reject(new ConfigError(`this machine has no address ${host}; pass --host 127.0.0.1 or an address it has`));
      else reject(e);
    });
    // Node drops a CONNECT (a proxy tunnel) without a word unless someone listens: answer it, as any other method we do not serve.
    if (server.listenerCount('connect') === 0) server.on('connect', (_req: unknown, socket: Duplex) => refuseTunnel(socket));
    server.listen(port, host, resolve);
  });
}

function refuseTunnel(socket: Duplex): void {
  socket.on('error', () => undefined);
  socket.end('HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD, POST, DELETE, OPTIONS\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
}

/** A loopback port free at this moment, for a server started in another process (redis-server, a replica) that cannot be told port 0. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
