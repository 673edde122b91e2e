// HTTP for the data sources: a timeout per attempt, retries with backoff, and zod-checked JSON answers.
import type { z } from 'zod';
import { UnavailableError, ValidationError, errorMessage } from '../../core/errors.js';
import { formatZodIssues } from '../../core/validate.js';

export interface FetchOptions {
  /** What the caller is asking, for messages ("Open-Meteo forecast"). */
  what: string;
  timeoutMs?: number;
  /** Attempts after the first, for timeouts, network errors, 429 and 5xx. */
  retries?: number;
  /** First backoff; doubles each retry. A 429's Retry-After (seconds) is honoured up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Extra request headers (an API key header such as OpenAQ's X-API-Key; never logged). */
  headers?: Record<string, string>;
}

const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The URL without secrets, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/([?&](?:token|key|apikey)=)[^&]*/gi, '$1***');
}

/**
 * GETs `url` and returns the successful response. Retryable failures (timeouts, network errors,
 * 429, 5xx) are retried with exponential backoff and end in an UnavailableError; any other non-2xx
 * status is a ValidationError that quotes the start of the answer.
 */
export async function fetchRetrying(url: string, options: FetchOptions, accept: string): Promise<Response> {
  const { what, timeoutMs = 10_000, retries = 3, backoffMs = 500, maxBackoffMs = 30_000, sleep = wait, headers = {} } = options;
  let lastProblem = '';
  for (let attempt = 0; attempt <= retries; attempt++) {
    let delay = Math.min(maxBackoffMs, backoffMs * 2 ** attempt);
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { ...headers, accept } });
    } catch (e) {
      lastProblem = (e as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `cannot connect (${errorMessage(e)})`;
      if (attempt < retries) await sleep(delay);
      continue;
    }
    if (response.status === 429 || response.status >= 500) {
      lastProblem = `HTTP ${response.status}`;
      const retryAfter = Number(response.headers.get('retry-after'));
      if (response.status === 429 && Number.isFinite(retryAfter) && retryAfter > 0) delay = Math.min(maxBackoffMs, retryAfter * 1000);
      await response.body?.cancel();
      if (attempt < retries) await sleep(delay);
      continue;
    }
    if (!response.ok) {
      const text = await response.text();
      throw new ValidationError(`${what}: HTTP ${response.status} from ${redact(url)}: ${text.slice(0, 200)}`, {
        status: response.status,
        recover: 'provider',
      });
    }
    return response;
  }
  throw new UnavailableError(`${what}: ${lastProblem} after ${retries + 1} attempts (${redact(url)}); check the network and try again later`);
}

/** GETs `url` (see fetchRetrying) and returns its JSON parsed by `schema`; a body not in the documented format is a ValidationError. */
export async function fetchJson<S extends z.ZodType>(url: string, schema: S, options: FetchOptions): Promise<z.output<S>> {
  const text = await (await fetchRetrying(url, options, 'application/json')).text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ValidationError(`${options.what}: the answer from ${redact(url)} is not JSON (starts with ${JSON.stringify(text.slice(0, 40))})`, {
      recover: 'provider',
    });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ValidationError(`${options.what}: the answer is not in the documented format (${formatZodIssues(parsed.error)}); nothing was written`, {
      recover: 'provider',
    });
  }
  return parsed.data;
}
