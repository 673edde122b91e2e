// One Redis connection per server per process, shared by every store the process opens (a live reader reopens its store at each snapshot), checked with a PING at open so an unreachable server is a clear error at once, never a hang.
import type { Redis } from 'ioredis';
import type { OnlineStoreConfig } from '../../core/config.js';
import { UnavailableError } from '../../core/errors.js';

type RedisConfig = Extract<OnlineStoreConfig, { kind: 'redis' }>;

/** A share of a connection: release it when the store that took it closes; the last release closes the connection. */
export interface RedisHandle {
  client: Redis;
  /** The server as messages name it (password hidden). */
  label: string;
  release(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 3000;
/** A command that gets no answer in this long fails (a server that hangs must not hang requests). */
const COMMAND_TIMEOUT_MS = 10_000;

const shared = new Map<string, { client: Promise<Redis>; refs: number }>();

/** The error every Redis failure becomes: what failed, the server, and what to do. */
export function redisUnavailable(label: string, doing: string, e: unknown): UnavailableError {
  const why = e instanceof Error ? e.message : String(e);
  return new UnavailableError(
    `the Redis online store at ${label} ${doing} (${why}); start Redis there, fix AIRQ_ONLINE_STORE, or set AIRQ_ONLINE_STORE=memory`,
    { online: label },
  );
}

async function connect(cfg: RedisConfig): Promise<Redis> {
  const mod = await import('ioredis');
  // ioredis is CommonJS: bundled, its class arrives as the default export only.
  const Redis: typeof mod.Redis = typeof mod.Redis === 'function' ? mod.Redis : (mod.default as unknown as typeof mod.Redis);
  const client = new Redis({
    host: cfg.host,
    port: cfg.port,
    db: cfg.db,
    username: cfg.username,
    password: cfg.password,
    ...(cfg.tls ? { tls: {} } : {}),
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // How long a closing socket may linger: the 2 s default kept a process alive after a refused first connect.
    disconnectTimeout: 100,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // While disconnected, commands fail at once (the caller says so) instead of queueing until the server returns.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // No retries until the first connection works (an unreachable server is an error at start); reconnects after it.
    retryStrategy: (times: number) => (ready ? Math.min(times * 200, 2000) : null),
  });
  let ready = false;
  let lastError: unknown;
  client.on('error', (e) => (lastError = e)); // each failed command reports its own error; reconnects go on meanwhile
  try {
    await client.connect();
    await client.ping();
    // ioredis reports a refused SELECT (a database number the server does not have) as an event, then goes on in db 0.
    if (lastError !== undefined) throw lastError;
    ready = true;
    return client;
  } catch (e) {
    client.disconnect();
    const why = lastError ?? e;
    // A server that answered (a wrong password, a database number it does not have) refused; one that did not, is unreachable.
    const answered = why instanceof Error && why.name === 'ReplyError';
    throw redisUnavailable(cfg.url, answered ? 'refused the connection' : 'cannot be reached', why);
  }
}

/** A share of the connection to `cfg`'s server (made, and pinged, on first use). */
export async function acquireRedis(cfg: RedisConfig): Promise<RedisHandle> {
  const id = JSON.stringify(cfg);
  let entry = shared.get(id);
  if (!entry) {
    entry = { client: connect(cfg), refs: 0 };
    shared.set(id, entry);
  }
  entry.refs++;
  const mine = entry;
  let client: Redis;
  try {
    client = await mine.client;
  } catch (e) {
    if (--mine.refs === 0 && shared.get(id) === mine) shared.delete(id);
    throw e;
  }
  let released = false;
  return {
    client,
    label: cfg.url,
    release: async () => {
      if (released) return;
      released = true;
      if (--mine.refs > 0) return;
      if (shared.get(id) === mine) shared.delete(id);
      await client.quit().catch(() => client.disconnect());
    },
  };
}
