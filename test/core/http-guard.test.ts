// The checks airq's HTTP servers make before routing, and the rule for listening beyond this machine.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { bearerMatches, checkOpenBind, foreignRequest } from '../../src/core/http-guard.js';
import { printable } from '../../src/core/printable.js';
import { ChatSlots } from '../../src/web/chat-slots.js';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('foreignRequest', () => {
  it.each([
    [{ host: '127.0.0.1:8080' }, undefined],
    [{ host: 'localhost:8080', origin: 'http://localhost:8080' }, undefined],
    [{ host: '[::1]:8080', origin: 'https://127.0.0.1:5173' }, undefined],
    [{ host: 'LOCALHOST' }, undefined],
    [{ host: 'attacker.example:8080' }, /Host attacker\.example:8080 is not this machine/],
    [{ host: '127.0.0.1.attacker.example' }, /not this machine/],
    [{}, /Host \(none\)/],
    [{ host: 'localhost', origin: 'http://attacker.example' }, /pages of http:\/\/attacker\.example may not call/],
    [{ host: 'localhost', origin: 'null' }, /pages of null/],
    [{ host: 'localhost', origin: 'file://localhost' }, /pages of file/],
  ])('%j', (headers, expected) => {
    const r = foreignRequest(req(headers));
    if (expected === undefined) expect(r).toBeUndefined();
    else expect(r).toMatch(expected);
  });

  it('lets named origins in', () => {
    expect(foreignRequest(req({ host: 'localhost', origin: 'https://app.example' }), ['https://app.example'])).toBeUndefined();
  });
});

describe('checkOpenBind', () => {
  const opts = { token: undefined, allowUnauthenticated: false, command: 'airq serve', tokenVar: 'AIRQ_SERVE_TOKEN' };
  it('lets loopback and tokens through silently, refuses an open address without either, and warns when told to go on', () => {
    const warned: string[] = [];
    const warn = (l: string) => void warned.push(l);
    checkOpenBind({ ...opts, host: '127.0.0.1' }, warn);
    checkOpenBind({ ...opts, host: '0.0.0.0', token: 't' }, warn);
    expect(warned).toEqual([]);
    expect(() => checkOpenBind({ ...opts, host: '0.0.0.0' }, warn)).toThrow(ConfigError);
    expect(() => checkOpenBind({ ...opts, host: '::' }, warn)).toThrow(/set AIRQ_SERVE_TOKEN, or pass --allow-unauthenticated/);
    checkOpenBind({ ...opts, host: '0.0.0.0', allowUnauthenticated: true }, warn);
    expect(warned).toEqual([expect.stringMatching(/listens on 0\.0\.0\.0 with no token/)]);
  });
});

describe('bearerMatches and printable', () => {
  it('matches only the exact token after "Bearer "', () => {
    expect(bearerMatches('Bearer abc', 'abc')).toBe(true);
    expect(bearerMatches('bearer abc', 'abc')).toBe(true);
    for (const h of ['Bearer abcd', 'Bearer ab', 'abc', 'Basic abc', '', undefined, null]) expect(bearerMatches(h, 'abc'), String(h)).toBe(false);
  });

  it('escapes control characters and truncates long text', () => {
    expect(printable('a\u001b[31mred\nline')).toBe('a\\u001b[31mred\\u000aline');
    const long = printable('x'.repeat(5000));
    expect(long).toMatch(/^x{200}… \(5000 characters\)$/);
  });
});

describe('ChatSlots', () => {
  it('bounds chats in all and per client, and frees a slot once however often it is released', () => {
    const slots = new ChatSlots({ total: 3, perClient: 2 });
    const a1 = slots.take('a')!;
    const a2 = slots.take('a')!;
    expect(slots.take('a')).toBeUndefined();
    const b1 = slots.take('b')!;
    expect(slots.take('c')).toBeUndefined(); // 3 in all
    a1();
    a1();
    expect(slots.take('b')).toBeDefined(); // one freed, not two
    expect(slots.take('c')).toBeUndefined();
    a2();
    b1();
    expect(slots.take('c')).toBeDefined();
  });
});
