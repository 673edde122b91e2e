// Test helper: a real redis-server of the test's own on a free loopback port (never a shared one), stopped after the file; skipped loudly when Redis is not installed, a failure when CI requires it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll } from 'vitest';
import { freePort } from '../../src/core/listen.js';

export interface TestRedis {
  url: string;
  port: number;
  /** Runs a redis-cli command against this server and returns its output. */
  cli(...args: string[]): string;
  stop(): Promise<void>;
  /** Starts a new, empty server on the same port (after stop(): Redis back, without its data). */
  restart(): Promise<void>;
}

const BIN = 'redis-server';

export function redisInstalled(): boolean {
  const found = spawnSync(BIN, ['--version'], { encoding: 'utf8' }).status === 0;
  if (found) return true;
  const msg = 'redis-server is not installed (apt-get install redis-server)';
  if (process.env.AIRQ_REQUIRE_DATA === '1') throw new Error(`${msg}; AIRQ_REQUIRE_DATA=1 makes this a failure`);
  console.error(`SKIPPING: ${msg}`);
  return false;
}

async function waitForPing(port: number, proc: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}`);
    const r = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
    if (r.stdout?.trim() === 'PONG') return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer PING`);
}

async function serve(port: number): Promise<ChildProcess> {
  const proc = spawn(BIN, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], {
    stdio: 'ignore',
  });
  try {
    await waitForPing(port, proc);
    return proc;
  } catch (e) {
    proc.kill('SIGKILL');
    throw e;
  }
}

async function stopped(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await exited;
}

/** Starts a server with no persistence; stopped after the test file (or by stop()). */
export async function startRedis(): Promise<TestRedis> {
  let port = 0;
  let proc: ChildProcess | undefined;
  for (let attempt = 0; !proc; attempt++) {
    port = await freePort();
    proc = await serve(port).catch((e: unknown) => {
      if (attempt >= 3) throw e; // else the port was taken between choosing and binding it
      return undefined;
    });
  }
  let current = proc;
  afterAll(() => stopped(current));
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    cli: (...args) => spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).stdout.trim(),
    stop: () => stopped(current),
    restart: async () => {
      await stopped(current);
      current = await serve(port);
    },
  };
}
