// Runs the built `airq` command as a user would (node bin/airq.js), capturing stdout, stderr and the exit code.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli.js'))) {
    throw new Error('the CLI is not built: run `npm run build` (npm test does it first)');
  }
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'airq.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, AIRQ_STORE: undefined, AIRQ_TODAY: undefined, ...env },
    timeout: 120_000,
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
