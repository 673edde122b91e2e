// Reading a request body within a bound: what is past the bound is read and thrown away (never kept), so the client can read the refusal.
import type { IncomingMessage } from 'node:http';

/** How many times its limit a refused body is drained before the connection is closed instead. */
const DRAIN_FACTOR = 16;

/** Reads and drops the body, up to `limit` bytes; past it the connection is closed. A client that goes away meanwhile is no error. */
export async function discardBody(req: IncomingMessage, limit: number): Promise<void> {
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) return void req.destroy();
    }
  } catch {
    // the client closed the connection before it sent the whole body: nothing is left to drop
  }
}

/**
 * The body, or undefined when it is over `limit` bytes: nothing past the limit is kept, and the rest is drained (up to
 * 16 times the limit, then the connection is closed) so the client finishes sending and reads the answer on a sound connection.
 * A declared Content-Length over the limit is refused before any byte is read.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const drain = DRAIN_FACTOR * limit;
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) return void (await discardBody(req, drain));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > drain) return void req.destroy();
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return size > limit ? undefined : Buffer.concat(chunks);
}
