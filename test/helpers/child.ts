// Test helpers for real processes side by side: a child driven over stdin/stdout, and waiting for a condition.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface Child {
  proc: ChildProcessWithoutNullStreams;
  /** Everything the child wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves when stdout has a line containing `text` (after any seen before), rejects if the child exits first. */
  waitFor(text: string): Promise<void>;
  send(line: string): void;
  exited: Promise<number | null>;
}

/** Runs `node ...args` (add '--import', 'tsx' for TypeScript fixtures). */
export function startChild(args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const proc = spawn(process.execPath, args, { env: { ...process.env, ...env } });
  let out = '';
  let seen = 0;
  const waiters: { text: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const at = out.indexOf(w.text, seen);
      if (at >= 0) {
        seen = at + w.text.length;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  proc.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    check();
  });
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => {
    proc.on('exit', (code) => {
      for (const w of waiters.splice(0)) w.reject(new Error(`the child exited (${code}) before printing "${w.text}"; it said:\n${out}`));
      resolve(code);
    });
  });
  return {
    proc,
    output: () => out,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ text, resolve, reject });
        check();
      }),
    send: (line) => proc.stdin.write(`${line}\n`),
    exited,
  };
}

/** Polls `fn` until it returns without throwing (its value) or `budgetMs` passes (its last error). Budgets are generous: this waits for an event, it does not time one. */
export async function eventually<T>(fn: () => Promise<T> | T, budgetMs = 30_000, everyMs = 50): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() - t0 > budgetMs) throw e;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}
