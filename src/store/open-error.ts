// A store file DuckDB cannot open (a garbled write-ahead log, a truncated or overwritten file): which file, what DuckDB said, what to do.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { readCurrent, snapshotPaths } from './snapshots.js';

/** DuckDB's own words, shortened: the whole line must stay readable (CLI error lines stop at 1,000 characters). */
const MAX_DUCKDB_CHARS = 300;

function lastSnapshot(dir: string): string | undefined {
  try {
    const current = readCurrent(dir);
    if (!current) return undefined;
    const file = snapshotPaths(dir, current.name).file;
    return existsSync(file) ? `${file} (commit ${current.commit}, published ${current.publishedAt.slice(0, 19)}Z)` : undefined;
  } catch {
    return undefined; // a damaged read/CURRENT: no snapshot to offer
  }
}

/**
 * The error for the writer's store file that DuckDB refused for damage, or `e` unchanged for any
 * other error. Nothing is moved or deleted: the user chooses what to give up.
 */
export function damagedStoreError(dir: string, file: string, e: unknown): unknown {
  if (!(e instanceof ConfigError) || e.details?.damaged !== true) return e;
  const duckdb = String(e.details.duckdb)
    .replace(/^IO Error: /, '')
    .replace(/\s+/g, ' ');
  const said = duckdb.length > MAX_DUCKDB_CHARS ? `${duckdb.slice(0, MAX_DUCKDB_CHARS)}…` : duckdb;
  const wal = `${file}.wal`;
  const walDamaged = /\bWAL\b/i.test(duckdb) && existsSync(wal);
  const snapshot = lastSnapshot(dir);
  // A file that never was a DuckDB database, in a directory that never published a snapshot: not a store (the message says so).
  if (!snapshot && /not a valid DuckDB database/i.test(duckdb)) return e;
  const steps = [
    ...(walDamaged
      ? [`move the write-ahead log aside (\`mv ${wal} ${wal}.damaged\`) to open the store as of its last checkpoint, losing the transactions only in that log`]
      : []),
    ...(snapshot ? [`go back to the last read snapshot: move ${file}${existsSync(wal) ? ` and ${wal}` : ''} aside and copy ${snapshot} to ${file}`] : []),
    `restore ${dir} from a backup`,
  ];
  const what = walDamaged ? `its write-ahead log ${wal} is damaged` : `${file} is damaged or not a DuckDB database file`;
  return new ConfigError(`cannot open the store ${dir}: ${what} (DuckDB: ${said}); nothing was changed. To recover: ${steps.join('; or ')}`, {
    file: walDamaged ? wal : file,
    duckdb,
    snapshot: snapshot !== undefined ? join(dir, 'read') : undefined,
  });
}
