// Typed errors with a stable `code`, so callers (CLI, MCP tools, tests) branch on kind, not on text.

export type ErrorCode = 'VALIDATION' | 'NOT_FOUND' | 'CONFLICT' | 'CONFIG' | 'USAGE' | 'UNAVAILABLE' | 'BUSY' | 'DISK_FULL' | 'INTERNAL';

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Structured context (column, row, report...) for programs; the message is for people. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** Input that breaks a rule: a bad type, a null key, a failed STRICT expectation. */
export class ValidationError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('VALIDATION', message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('NOT_FOUND', message, details);
  }
}

/** A definition that contradicts an existing one (same name and version, different schema...). */
export class ConflictError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('CONFLICT', message, details);
  }
}

export class ConfigError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('CONFIG', message, details);
  }
}

/** Bad command-line usage: the CLI exits with code 2 for these. */
export class UsageError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('USAGE', message, details);
  }
}

/** An outside service (an HTTP API) could not be reached or kept failing: worth trying again later. */
export class UnavailableError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('UNAVAILABLE', message, details);
  }
}

/** Another process holds what this one needs (the store's write lock) past the time it would wait. */
export class BusyError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('BUSY', message, details);
  }
}

/** The disk a store (or a file airq writes) lives on is full: what was committed stays; free space and run again. */
export class DiskFullError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('DISK_FULL', message, details);
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** One line a person can act on, for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
