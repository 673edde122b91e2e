// Model artifacts on disk: copied into the store under models/<name>/<version>/, staged so a crash leaves no half model.
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { ValidationError } from '../../core/errors.js';
import { makeStoreTemp } from '../temp-files.js';

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

/**
 * Copies the caller's artifact directory into a staging directory of the store (in <store>/.tmp/, on the
 * store's file system, so publishing is a rename). A failed copy (a full disk) leaves nothing; a killed
 * process leaves a directory that the next writer's open removes. Remove it with `unstage` when done.
 */
export function stageArtifacts(storeDir: string, source: string): string {
  if (!existsSync(source) || !statSync(source).isDirectory()) {
    throw new ValidationError(`model.save needs a directory of artifacts; "${source}" is not one`);
  }
  const staging = join(makeStoreTemp(storeDir, 'model-stage'), 'model');
  try {
    cpSync(source, staging, { recursive: true });
  } catch (e) {
    unstage(staging);
    throw e;
  }
  return staging;
}

/** Removes a staging directory (and the temporary directory it was made in). */
export function unstage(staging: string): void {
  rmSync(dirname(staging), { recursive: true, force: true });
}

/** Moves a staged copy to its final place (replacing an orphan left by a crash before its commit). */
export function publishArtifacts(staging: string, target: string): void {
  mkdirSync(join(target, '..'), { recursive: true });
  if (existsSync(target)) rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
}

/** Removes staging directories that airq before <store>/.tmp/ left in models/ after a crash (the writer's open calls it). */
export function cleanStaging(storeDir: string): void {
  const root = join(storeDir, MODELS_DIR);
  if (!existsSync(root)) return;
  for (const entry of readdirSync(root)) {
    if (entry.startsWith(STAGING_PREFIX)) rmSync(join(root, entry), { recursive: true, force: true });
  }
}
