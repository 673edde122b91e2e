// What an HTTP server of airq checks before it routes a request: a parsable target, a Host and an Origin of this machine
// when it listens only here (DNS rebinding), a bearer token when one is set, and whether it may listen beyond loopback.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ConfigError, ValidationError } from './errors.js';
import { printable } from './printable.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Whether `host` (an address to listen on, or a Host header's name) is this machine only. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase());
}

/** The request's target as a URL; a malformed one (`http://%`, a bad %-escape in the authority) is the client's error. */
export function requestUrl(req: IncomingMessage): URL {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    throw new ValidationError(`the request target ${printable(req.url ?? '')} is not a valid address`);
  }
}

/** The host name of a Host header (`localhost:8080`, `[::1]:8080`), lower case; undefined when it is not one. */
function hostName(header: string): string | undefined {
  try {
    return new URL(`http://${header}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * For a server listening on loopback only: the reason to refuse a request whose Host is not this machine (a page of
 * another site that rebinds its name to 127.0.0.1) or that comes from a page of another origin; undefined to go on.
 * Requests without an Origin (command-line clients, same-origin navigations) pass; `origins` are allowed besides.
 */
export function foreignRequest(req: IncomingMessage, origins: readonly string[] = []): string | undefined {
  const host = req.headers.host;
  const name = host === undefined ? undefined : hostName(host);
  if (name === undefined || !isLoopback(name)) return `the Host ${printable(host ?? '(none)')} is not this machine`;
  const origin = req.headers.origin;
  if (origin === undefined || origins.includes(origin)) return undefined;
  const from = hostName(origin.replace(/^https?:\/\//i, ''));
  return /^https?:\/\//i.test(origin) && from !== undefined && isLoopback(from) ? undefined : `pages of ${printable(origin)} may not call this server`;
}

/** Whether an Authorization header carries `token` as a bearer token (compared in constant time). */
export function bearerMatches(header: string | null | undefined, token: string): boolean {
  if (!header || !/^Bearer\s/i.test(header)) return false;
  const given = Buffer.from(header.replace(/^Bearer\s+/i, ''));
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/**
 * Refuses to listen beyond this machine with no token unless the operator said so; then warns. `command` and `tokenVar`
 * name the command and the environment variable that holds its token, for the message.
 */
export function checkOpenBind(
  opts: { host: string; token: string | undefined; allowUnauthenticated: boolean; command: string; tokenVar: string },
  warn: (line: string) => void,
): void {
  if (isLoopback(opts.host) || opts.token !== undefined) return;
  if (!opts.allowUnauthenticated) {
    throw new ConfigError(
      `${opts.command} --host ${opts.host} would serve everyone who can reach this machine, with no token: set ${opts.tokenVar}, or pass --allow-unauthenticated if that is what you want`,
    );
  }
  warn(`${opts.command} listens on ${opts.host} with no token (--allow-unauthenticated): anyone who can reach this machine can use it`);
}
