// Runs `airq` as a user would: in this process through the CLI's entry function (fast, the code under test), or as a child process of the built command.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';

const ROOT = join(__dirname, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `airq ...args` in this process: the same entry function bin/airq.js calls, with its stdout and
 * stderr captured and `env` set for the call (AIRQ_STORE and AIRQ_TODAY unset unless given).
 * One call at a time: it swaps process.env while it runs.
 */
export async function airq(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const saved = { ...process.env };
  for (const [k, v] of Object.entries({ AIRQ_STORE: undefined, AIRQ_TODAY: undefined, ...env })) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  let stdout = '';
  let stderr = '';
  try {
    const code = await main(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stderrIsTTY: false, env: process.env });
    return { code, stdout, stderr };
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

function assertBuilt(): void {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'airq.js'))) throw new Error('the CLI is not built: run `npm run build` (npm test does it first)');
}

/** The built command as a child process (node bin/airq.js), for what only a separate process shows: exit codes, locks, signals. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  assertBuilt();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'airq.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, AIRQ_STORE: undefined, AIRQ_TODAY: undefined, ...env },
    timeout: 300_000,
    maxBuffer: 256 * 1024 * 1024, // whole tables as one JSON line can exceed the 1 MB default
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The last non-empty stdout line, parsed as JSON. */
export function lastJson(r: CliResult): Record<string, unknown> {
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
}

/**
 * Like runCli, but without blocking the test process: needed when the test itself serves HTTP
 * (a replay server) to the command, which spawnSync would starve.
 */
export function runCliAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  assertBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'airq.js'), ...args], {
      env: { ...process.env, AIRQ_STORE: undefined, AIRQ_TODAY: undefined, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
