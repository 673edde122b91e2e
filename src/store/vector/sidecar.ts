// The sidecar of an HNSW index file: its keys, watermark and layout, with checksums that tie it to its index file.
//
// An index file and its sidecar are trusted only together: the sidecar records the SHA-256 of the
// index file it names and of its own key list, the live and deleted counts, the layout (dimension,
// metric, embedding model) and the watermark commit's ingestion time. Any disagreement (a shuffled
// or truncated key list, an edited index file, another model) makes the index rebuild from its table.
import { statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { FeatureValue } from '../types.js';
import { sha256File } from '../../core/file-hash.js';

export const SIDECAR_FORMAT = 'airq-hnsw-2';

const KeyValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.number())]);

export const SidecarSchema = z
  .object({
    format: z.literal(SIDECAR_FORMAT),
    /** The index file this sidecar belongs to (a new one per save: the sidecar's rename is the commit point). */
    indexFile: z.string().regex(/^[^/\\]+\.hnsw$/),
    indexBytes: z.number().int().min(0),
    indexSha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** The last commit of the group the index reflects, and that commit's ingestion time (epoch ms; 0 for none). */
    watermark: z.number().int().min(0),
    watermarkAt: z.number().int().min(0),
    dim: z.number().int().min(1),
    metric: z.string(),
    model: z.string().nullable(),
    /** label -> primary-key values (null for a deleted label). */
    keys: z.array(z.array(KeyValue).nullable()),
    keysSha256: z.string().regex(/^[0-9a-f]{64}$/),
    live: z.number().int().min(0),
    deleted: z.number().int().min(0),
  })
  .strict();
export type Sidecar = z.infer<typeof SidecarSchema>;

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export const keysHash = (keys: readonly (FeatureValue[] | null)[]): string => sha256(JSON.stringify(keys));

/** Hashes of index files already verified by this process, by identity (device, inode, size, mtime): a snapshot's hard link is not hashed again. */
const verified = new Map<string, string>();
const identity = (file: string) => {
  const s = statSync(file, { bigint: true });
  return { key: `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}`, size: Number(s.size) };
};

/** The SHA-256 of a file, read in 1 MiB blocks (an index can be large). */
export function fileSha256(file: string): string {
  const id = identity(file);
  const known = verified.get(id.key);
  if (known) return known;
  const digest = sha256File(file);
  if (verified.size > 1000) verified.clear();
  verified.set(id.key, digest);
  return digest;
}

export interface Expected {
  dim: number;
  metric: string;
  model: string | undefined;
}

/**
 * Why a parsed sidecar cannot be trusted with its index file (undefined when it can): checked before the
 * index file is read, so a mismatch costs one hash of the file and no graph load.
 */
export function sidecarProblem(side: Sidecar, indexPath: string, want: Expected): string | undefined {
  if (side.dim !== want.dim) return `it holds vectors of ${side.dim}, the column ${want.dim}`;
  if (side.metric !== want.metric) return `it was built for the ${side.metric} metric, the column uses ${want.metric}`;
  if ((side.model ?? undefined) !== want.model) return `it was built from ${side.model ?? 'an unnamed model'}, the column is ${want.model ?? 'unnamed'}`;
  if (keysHash(side.keys) !== side.keysSha256) return 'its key list does not match its checksum (edited, shuffled or truncated)';
  const nulls = side.keys.filter((k) => k === null).length;
  if (side.keys.length - nulls !== side.live || nulls !== side.deleted) {
    return `its counts disagree with its key list (${side.live} live and ${side.deleted} deleted recorded, ${side.keys.length - nulls} and ${nulls} listed)`;
  }
  let size: number;
  try {
    size = identity(indexPath).size;
  } catch {
    return `its index file ${side.indexFile} is missing`;
  }
  if (size !== side.indexBytes) return `its index file ${side.indexFile} has ${size} bytes, the sidecar recorded ${side.indexBytes}`;
  if (fileSha256(indexPath) !== side.indexSha256) return `its index file ${side.indexFile} does not match its checksum (edited or damaged)`;
  return undefined;
}
