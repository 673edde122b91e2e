// Stdin for the MCP stdio transport, line by line: a line that is no valid JSON-RPC message gets the spec's error reply on stdout.
//
// The SDK's StdioServerTransport drops a line it cannot parse (it reports it to onerror only), so
// the client waits for its own timeout. Over HTTP the same message gets -32700 or -32600 at once.
// Here every line is checked first: valid messages pass through to the transport unchanged, and
// the rest are answered as JSON-RPC 2.0 prescribes (parse error, or invalid request with the id
// when the id itself is usable) while the server keeps serving.
import { StringDecoder } from 'node:string_decoder';
import { Transform, type Readable, type Writable } from 'node:stream';

const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;

/**
 * The longest message taken, in UTF-16 code units (at most 6 MB of UTF-8): under the 10 MB at which the SDK's
 * transport gives up and closes (the server then stopped, exit 0, without a word). A longer line gets an error reply
 * and is dropped as it streams in, never held whole.
 */
export const MAX_MESSAGE_CHARS = 2 * 1024 * 1024;
/** The reply to a message over the limit, with its id when its first characters show it (a client waits on that id). */
function tooLong(message: string): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id: leadingId(message) ?? null,
    error: {
      code: INVALID_REQUEST,
      message: `Invalid request: the message is over ${MAX_MESSAGE_CHARS.toLocaleString('en')} characters; send smaller messages`,
    },
  });
}

/** The top-level "id" of a message, read from its first 4,096 characters (a long one is never parsed whole); else undefined. */
export function leadingId(text: string): string | number | undefined {
  const head = text.slice(0, 4096);
  let depth = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head[i];
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === '"') {
      const key = /^"((?:[^"\\]|\\.)*)"\s*:\s*/.exec(head.slice(i));
      const string = key ?? /^"(?:[^"\\]|\\.)*"/.exec(head.slice(i));
      if (!string) return undefined; // cut off inside a string
      if (key && depth === 1 && key[1] === 'id') {
        const value = /^("(?:[^"\\]|\\.)*"|-?\d+)\s*[,}]/.exec(head.slice(i + key[0].length));
        if (!value) return undefined;
        const id = JSON.parse(value[1]!) as unknown;
        return typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id)) ? id : undefined;
      }
      i += string[0].length - 1;
    }
  }
  return undefined;
}

/** Why a parsed line is not a JSON-RPC 2.0 message, or undefined when it is one. */
function problemOf(msg: unknown): string | undefined {
  if (Array.isArray(msg)) return 'batches are not supported: send one JSON-RPC message per line';
  if (typeof msg !== 'object' || msg === null) return 'a JSON-RPC message is a JSON object';
  const m = msg as Record<string, unknown>;
  if (m.jsonrpc !== '2.0') return 'jsonrpc must be "2.0"';
  if ('id' in m && !(typeof m.id === 'string' || (typeof m.id === 'number' && Number.isInteger(m.id)) || (m.id === null && !('method' in m)))) {
    return 'id must be a string or an integer';
  }
  if ('method' in m) return typeof m.method === 'string' ? undefined : 'method must be a string';
  return 'result' in m || 'error' in m ? undefined : 'a message needs a method, or a result or an error';
}

const usableId = (msg: unknown) => {
  const id = (msg as Record<string, unknown> | null)?.id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isInteger(id)) ? id : null;
};

/** The reply a line gets, or undefined when the line is a valid message (or blank). */
export function replyTo(line: string): string | undefined {
  if (line.trim() === '') return undefined;
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    return JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: PARSE_ERROR, message: 'Parse error: the line is not JSON' } });
  }
  const problem = problemOf(msg);
  if (problem === undefined) return undefined;
  return JSON.stringify({ jsonrpc: '2.0', id: usableId(msg), error: { code: INVALID_REQUEST, message: `Invalid request: ${problem}` } });
}

/** Stdin with the invalid lines taken out and answered on `stdout`; what remains goes to the SDK's transport. */
export function guardedStdin(stdin: Readable, stdout: Writable): Readable {
  let pending = '';
  /** Dropping the rest of a line that was too long, up to its newline. */
  let skipping = false;
  // Whole characters only: a UTF-8 sequence split across chunks waits for its end.
  const decoder = new StringDecoder('utf8');
  const check = (line: string, push: (l: string) => void) => {
    const reply = line.length > MAX_MESSAGE_CHARS ? tooLong(line) : replyTo(line);
    if (reply === undefined) push(`${line}\n`);
    else stdout.write(`${reply}\n`);
  };
  const guard = new Transform({
    transform(chunk: Buffer, _enc, done) {
      let text = decoder.write(chunk);
      if (skipping) {
        const end = text.indexOf('\n');
        if (end < 0) return done();
        [skipping, text] = [false, text.slice(end + 1)];
      }
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) check(line.replace(/\r$/, ''), (l) => this.push(l));
      if (pending.length > MAX_MESSAGE_CHARS) {
        stdout.write(`${tooLong(pending)}\n`);
        [pending, skipping] = ['', true];
      }
      done();
    },
    flush(done) {
      pending += decoder.end();
      if (pending !== '' && !skipping) check(pending, (l) => this.push(l));
      done();
    },
  });
  return stdin.pipe(guard);
}
