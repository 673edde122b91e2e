// SHA-256 checksums of a model's artifact files: recorded in the registry at save, checked before a file is used.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../core/errors.js';
import { sha256File } from '../../core/file-hash.js';

export type Checksums = Record<string, string>;

/** The checksum of every file (relative to `dir`). */
export function checksumFiles(dir: string, files: readonly string[]): Checksums {
  return Object.fromEntries(files.map((f) => [f, sha256File(join(dir, f))]));
}

/** Results by file identity (path, size, mtime): a file checked once is not read again until it changes. */
const checked = new Map<string, string>();

/** The file's SHA-256, or undefined when it is missing. */
export function currentChecksum(path: string): string | undefined {
  let id: string;
  try {
    const s = statSync(path, { bigint: true });
    id = `${path}:${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch {
    return undefined;
  }
  const known = checked.get(id);
  if (known) return known;
  const digest = sha256File(path);
  if (checked.size > 1000) checked.clear();
  checked.set(id, digest);
  return digest;
}

export const checksumOf = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

export const changed = (file: string, got: string, want: string): string =>
  `${file} was changed or damaged after the model was saved (SHA-256 ${got.slice(0, 12)}…, recorded ${want.slice(0, 12)}…)`;

/** A model artifact that is missing or is not the file that was saved. */
export class ArtifactIntegrityError extends ConfigError {}

/** Why `file` of a model cannot be used (undefined when it can, or when the model has no checksums: saved before airq recorded them). */
export function artifactProblem(modelDir: string, file: string, checksums: Checksums | null | undefined): string | undefined {
  if (!checksums) return undefined;
  const want = checksums[file];
  if (want === undefined) return `${file} is not one of the files saved with it`;
  const got = currentChecksum(join(modelDir, file));
  if (got === undefined) return `${file} is missing`;
  if (got !== want) return changed(file, got, want);
  return undefined;
}
