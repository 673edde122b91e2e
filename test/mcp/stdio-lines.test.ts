// `airq mcp` on stdio answers every line that is no JSON-RPC message with the spec's error reply, and keeps serving.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { guardedStdin, leadingId, MAX_MESSAGE_CHARS, replyTo } from '../../src/mcp/stdio-guard.js';
import { copyStoreForFile, removeStoreCopy, syntheticStore } from '../helpers/stores.js';

let storeDir: string;
beforeAll(() => {
  storeDir = copyStoreForFile(syntheticStore());
}, 60_000);
afterAll(() => removeStoreCopy(storeDir));

describe('replyTo', () => {
  it.each([
    ['{"jsonrpc": "2.0", "id": 1, "method": "ping"}', undefined],
    ['{"jsonrpc": "2.0", "method": "notifications/initialized"}', undefined],
    ['{"jsonrpc": "2.0", "id": "a", "result": {}}', undefined],
    ['   ', undefined],
    ['{not json', { id: null, code: -32700 }],
    ['[{"jsonrpc": "2.0", "id": 1, "method": "ping"}]', { id: null, code: -32600 }],
    ['{"jsonrpc": "1.0", "id": 7, "method": "ping"}', { id: 7, code: -32600 }],
    ['{"jsonrpc": "2.0", "id": {"x": 1}, "method": "ping"}', { id: null, code: -32600 }],
    ['{"jsonrpc": "2.0", "id": 1.5, "method": "ping"}', { id: null, code: -32600 }],
    ['{"jsonrpc": "2.0", "id": 3, "method": 42}', { id: 3, code: -32600 }],
    ['42', { id: null, code: -32600 }],
  ])('%s', (line, want) => {
    const reply = replyTo(line);
    if (want === undefined) expect(reply).toBeUndefined();
    else expect(JSON.parse(reply!)).toMatchObject({ jsonrpc: '2.0', id: want.id, error: { code: want.code } });
  });
});

describe('guardedStdin', () => {
  it('answers a message over the limit, drops it as it streams in, and passes the next one', async () => {
    const [input, replies] = [new PassThrough(), new PassThrough()];
    const passed: string[] = [];
    const out = guardedStdin(input, replies);
    out.on('data', (d: Buffer) => passed.push(d.toString()));
    const big = `{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"x":"${'a'.repeat(MAX_MESSAGE_CHARS + 10)}"}}`;
    for (let i = 0; i < big.length; i += 65_536) input.write(big.slice(i, i + 65_536));
    input.write('\n{"jsonrpc":"2.0","id":10,"method":"ping"}\n');
    input.end();
    await new Promise((r) => out.on('end', r));
    expect(passed.join('')).toBe('{"jsonrpc":"2.0","id":10,"method":"ping"}\n');
    const errors = replies
      .read()!
      .toString()
      .trim()
      .split('\n')
      .map((l: string) => JSON.parse(l) as { error: { code: number; message: string } });
    // With its id, read from its first characters: the client's call fails at once instead of at its timeout.
    expect(errors).toEqual([
      expect.objectContaining({ id: 9, error: expect.objectContaining({ code: -32600, message: expect.stringMatching(/over 2,097,152 characters/) }) }),
    ]);
  });

  it.each([
    ['{"jsonrpc":"2.0","id":9,"method":"x"}', 9],
    ['{"params":{"id":1,"s":"a\\"}b"},"id":"two"}', 'two'],
    ['{"a":["id",{"id":1}],"id":8,"pad":"', 8],
    ['{ "id" : -3 }', -3],
    ['{"jsonrpc":"2.0","method":"x","params":{"pad":"', undefined],
    ['{"id":1.5}', undefined],
    ['{"id":{"a":1}}', undefined],
  ])('leadingId(%s) is %s', (text, id) => expect(leadingId(text)).toBe(id));
});

describe('airq mcp on stdio', () => {
  it('replies to bad lines at once and still answers the valid requests after them', async () => {
    const child = spawn(process.execPath, [join(__dirname, '..', '..', 'bin', 'airq.js'), 'mcp', '--store', storeDir, '--today', '2024-06-30'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const lines = createInterface({ input: child.stdout! });
    const replies: Record<string, unknown>[] = [];
    const got = (n: number) =>
      new Promise<void>((resolve) => {
        const check = () => (replies.length >= n ? resolve() : setTimeout(check, 20));
        check();
      });
    lines.on('line', (l) => replies.push(JSON.parse(l) as Record<string, unknown>));
    const send = (l: string) => child.stdin!.write(`${l}\n`);
    send('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}');
    await got(1);
    send('this is not json');
    send('[{"jsonrpc":"2.0","id":2,"method":"ping"}]');
    send('{"jsonrpc":"1.0","id":3,"method":"ping"}');
    send('{"jsonrpc":"2.0","id":4,"method":"ping"}');
    await got(5);
    // Over the SDK's 10 MB buffer, which closed the transport: now an error reply, and the server goes on.
    send(`{"jsonrpc":"2.0","id":5,"method":"ping","params":{"pad":"${'x'.repeat(11 * 1024 * 1024)}"}}`);
    send('{"jsonrpc":"2.0","id":6,"method":"ping"}');
    await got(7);
    child.kill('SIGTERM');
    expect(replies[0]).toMatchObject({ id: 1, result: { serverInfo: { name: 'airq' } } });
    expect(replies.slice(1)).toEqual([
      expect.objectContaining({ id: null, error: expect.objectContaining({ code: -32700 }) }),
      expect.objectContaining({ id: null, error: expect.objectContaining({ code: -32600, message: expect.stringMatching(/batches/) }) }),
      expect.objectContaining({ id: 3, error: expect.objectContaining({ code: -32600, message: expect.stringMatching(/jsonrpc/) }) }),
      expect.objectContaining({ id: 4, result: {} }),
      expect.objectContaining({ id: 5, error: expect.objectContaining({ code: -32600, message: expect.stringMatching(/over 2,097,152 characters/) }) }),
      expect.objectContaining({ id: 6, result: {} }),
    ]);
  }, 60_000);
});
