// Cancelling MCP requests over stateless HTTP: a 2025-era client's `notifications/cancelled` arrives in its own POST, so the request it names is found here and aborted.

/** The requests in flight, by who sent them and their JSON-RPC id; one per server. */
export class InFlightRequests {
  private readonly byKey = new Map<string, AbortController>();

  /**
   * Tracks `message` when it is a request, until the returned function is called. `sender` scopes ids: two clients may
   * both be using id 1, and one must not cancel the other's request.
   */
  track(message: unknown, sender: string, controller: AbortController): () => void {
    const id = requestIdOf(message);
    if (id === undefined) return () => {};
    const key = keyOf(sender, id);
    this.byKey.set(key, controller);
    return () => {
      if (this.byKey.get(key) === controller) this.byKey.delete(key);
    };
  }

  /** When `message` is `notifications/cancelled` for a request of this sender in flight: aborts it and says which. */
  cancel(message: unknown, sender: string): string | undefined {
    if (!isObject(message) || message.method !== 'notifications/cancelled' || !isObject(message.params)) return undefined;
    const id = message.params.requestId;
    if (typeof id !== 'string' && typeof id !== 'number') return undefined;
    const controller = this.byKey.get(keyOf(sender, id));
    if (!controller) return undefined;
    const reason = typeof message.params.reason === 'string' ? message.params.reason : 'cancelled by the client';
    controller.abort(new Error(reason));
    return `request ${JSON.stringify(id)} (${reason})`;
  }

  get size(): number {
    return this.byKey.size;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const keyOf = (sender: string, id: string | number) => `${sender}\u0000${typeof id}:${id}`;

function requestIdOf(message: unknown): string | number | undefined {
  if (!isObject(message) || typeof message.method !== 'string') return undefined;
  return typeof message.id === 'string' || typeof message.id === 'number' ? message.id : undefined;
}

/** The body's JSON-RPC message, when it parses as one (the SDK parses it again, and answers anything else). */
export function messageIn(body: Buffer | undefined): unknown {
  if (!body || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
