// The errors tools raise, as a caller receives them: a stable code (the domain error's), the message, and a recovery hint naming the tool to call next.
import { AppError, errorMessage, type ErrorCode } from '../src/core/errors.js';

/** The errors one tool declares it can raise, each with what the caller can do about it. */
export type ToolErrors = Partial<Record<ErrorCode, string>>;

/** What any tool can meet, whatever its input: the store busy or gone, or a bug. */
export const COMMON_ERRORS: ToolErrors = {
  BUSY: 'The store is being written by another process; call again in a few seconds.',
  UNAVAILABLE: 'The store could not be read just now; call again shortly, and tell the person if it persists.',
  DISK_FULL: 'The disk under the store is full: nothing committed was lost, but calling again fails until the person frees space; tell them.',
  INTERNAL: 'This is a fault in airq, not in the call; tell the person, and do not retry with the same arguments.',
};

/**
 * Hints by a domain error's `recover` detail: the domain says what went wrong in words for people (the web page and the CLI
 * show them as they are); only here, for a model, are tools named.
 */
export const RECOVERY: Readonly<Record<string, string>> = {
  list_locations: 'Call list_locations for every location with data.',
  history: 'For days up to today call get_air_quality_history.',
  forecast_days: 'get_air_quality_forecast lists the forecast days.',
  provider:
    'A data provider refused the request or answered in a form airq cannot read: not a fault of the call; try again later, and tell the person if it persists.',
};

/** The error as it goes on the wire, also in the result's `_meta` under this key. */
export const ERROR_META_KEY = 'airq/error';

export interface ToolFailure {
  code: ErrorCode;
  message: string;
  hint?: string;
}

/** A thrown value as a tool failure: AppErrors keep their code; anything else is INTERNAL. */
export function toolFailure(e: unknown, declared: ToolErrors): ToolFailure {
  const code: ErrorCode = e instanceof AppError ? e.code : 'INTERNAL';
  const recover = e instanceof AppError ? e.details?.recover : undefined;
  const hint = (typeof recover === 'string' ? RECOVERY[recover] : undefined) ?? declared[code] ?? COMMON_ERRORS[code];
  const message = code === 'INTERNAL' && !(e instanceof AppError) ? `internal error: ${errorMessage(e).split('\n')[0]}` : errorMessage(e);
  return hint ? { code, message, hint } : { code, message };
}

/** The failure as a model reads it: the message, then what to do. */
export const failureText = (f: ToolFailure): string => (f.hint ? `${f.message}. ${f.hint}` : f.message);
