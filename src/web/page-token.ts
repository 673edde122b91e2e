// The token of `airq serve` (AIRQ_SERVE_TOKEN): a bearer header, or a cookie of this server that a visit with ?token= sets.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { bearerMatches } from '../core/http-guard.js';

export class PageToken {
  /** One name per port: browsers send a host's cookies to all its ports, and two servers must not overwrite each other's. */
  readonly cookieName: string;
  /** Derived from the token, not the token: a cookie that reaches another server on this host does not carry it. */
  private readonly cookieValue: Buffer;

  constructor(
    private readonly token: string,
    port: number,
  ) {
    this.cookieName = `airq_session_${port}`;
    this.cookieValue = Buffer.from(createHmac('sha256', token).update('airq serve page cookie').digest('hex'));
  }

  /** Whether the request carries the token: `Authorization: Bearer`, or this server's cookie. */
  given(req: IncomingMessage): boolean {
    if (bearerMatches(req.headers.authorization, this.token)) return true;
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const [name, value] = part.trim().split('=', 2);
      if (name !== this.cookieName || value === undefined) continue;
      const given = Buffer.from(value);
      if (given.length === this.cookieValue.length && timingSafeEqual(given, this.cookieValue)) return true;
    }
    return false;
  }

  /** Whether `text` (a ?token= value) is the token. */
  matches(text: string): boolean {
    return bearerMatches(`Bearer ${text}`, this.token);
  }

  /**
   * The Set-Cookie for a visit with the right ?token=. Lax, not Strict: a link from another page (a chat, a mail) is
   * followed by the redirect that sets it, and Strict would leave the cookie unsent until the address is typed.
   */
  setCookie(): string {
    return `${this.cookieName}=${this.cookieValue.toString()}; HttpOnly; SameSite=Lax; Path=/`;
  }
}

/** A request target for a log line: the value of ?token= left out. */
export function withoutToken(target: string): string {
  return target.replace(/([?&]token=)[^&#]*/gi, '$1…');
}
