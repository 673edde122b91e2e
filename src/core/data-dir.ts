// Where the real air-quality data is: $AIRQ_DATA_DIR, else ../shared/data beside the project, else the user's cache.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './config.js';

/** The project root: two levels above this file both in src/ and in dist/src/. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export function dataDirCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  const given = loadConfig(env).dataDir;
  if (given) out.push(resolve(given));
  out.push(resolve(projectRoot(), '..', 'shared', 'data'));
  out.push(join(homedir(), '.cache', 'airq', 'data'));
  return out;
}

/** The first candidate that has `sub` (e.g. "beijing"), or undefined. */
export function findDataDir(sub: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of dataDirCandidates(env)) {
    if (existsSync(join(dir, sub))) return join(dir, sub);
  }
  return undefined;
}

/** Where `airq download` puts a dataset: $AIRQ_DATA_DIR/<sub> when set, else the user's cache (both are searched by findDataDir). */
export function downloadDir(sub: string, env: NodeJS.ProcessEnv = process.env): string {
  const given = loadConfig(env).dataDir;
  return given ? join(resolve(given), sub) : join(dataDirCandidates(env).at(-1)!, sub);
}
