// Where a command's output goes: the process's streams, or a caller's (tests run the CLI in process).
import { AsyncLocalStorage } from 'node:async_hooks';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress bars redraw there). */
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/** Set once a reader of our stdout went away (`airq forecast | head -3`): the rest is dropped, the command still finishes. */
let stdoutGone = false;

/**
 * A reader that stops early closes the pipe. That is not an error, and the command must still
 * finish what it started: a writer that quit here would skip publishing its commits to readers.
 */
export function tolerateClosedStdout(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    stdoutGone = true;
  });
}

export const processIo: Io = {
  stdout: (t) => void (stdoutGone || process.stdout.write(t)),
  stderr: (t) => void process.stderr.write(t),
  stderrIsTTY: process.stderr.isTTY === true,
  env: process.env,
};

const current = new AsyncLocalStorage<Io>();

/** The streams of the command running in this call chain. */
export function io(): Io {
  return current.getStore() ?? processIo;
}

export function withIo<T>(streams: Io, fn: () => Promise<T>): Promise<T> {
  return current.run(streams, fn);
}
