// Model artifacts on disk: copied into the store under models/<name>/<version>/, staged so a crash leaves no half model.
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ValidationError } from '../../core/errors.js';

export const MODELS_DIR = 'models';
const STAGING_PREFIX = '.staging-';

export function modelDir(storeDir: string, name: string, version: number): string {
  return join(storeDir, MODELS_DIR, name, String(version));
}

/** Every file below `dir`, relative to it, with / separators, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Copies the caller's artifact directory into a staging directory of the store. */
export function stageArtifacts(storeDir: string, source: string): string {
  if (!existsSync(source) || !statSync(source).isDirectory()) {
    throw new ValidationError(`model.save needs a directory of artifacts; "${source}" is not one`);
  }
  const staging = join(storeDir, MODELS_DIR, `${STAGING_PREFIX}${randomUUID()}`);
  mkdirSync(join(storeDir, MODELS_DIR), { recursive: true });
  cpSync(source, staging, { recursive: true });
  return staging;
}

/** Moves a staged copy to its final place (replacing an orphan left by a crash before its commit). */
export function publishArtifacts(staging: string, target: string): void {
  mkdirSync(join(target, '..'), { recursive: true });
  if (existsSync(target)) rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
}

/** Removes staging directories left by a crash. */
export function cleanStaging(storeDir: string): void {
  const root = join(storeDir, MODELS_DIR);
  if (!existsSync(root)) return;
  for (const entry of readdirSync(root)) {
    if (entry.startsWith(STAGING_PREFIX)) rmSync(join(root, entry), { recursive: true, force: true });
  }
}
