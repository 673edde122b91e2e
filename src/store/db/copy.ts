// DuckDB's own file writers (COPY ... TO as parquet, csv or json), and files that appear complete or not at all.
import { randomBytes } from 'node:crypto';
import { readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pidAlive } from '../../core/pid-alive.js';

export const FILE_FORMATS = ['parquet', 'csv', 'json'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

const OPTIONS: Record<FileFormat, string> = {
  parquet: 'FORMAT parquet, COMPRESSION zstd',
  csv: 'FORMAT csv, HEADER true',
  json: 'FORMAT json, ARRAY true',
};

/** A string literal for SQL (COPY takes its file name as a literal, not a bound parameter). */
const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** `COPY (select) TO 'file' (...)`: the select may carry $n parameters, bound when it runs. */
export function copySql(select: string, file: string, format: FileFormat): string {
  return `COPY (${select}) TO ${literal(file)} (${OPTIONS[format]})`;
}

/** The format a file name's extension says, if it says one. */
export function formatOfFile(file: string): FileFormat | undefined {
  const ext = /\.([A-Za-z]+)$/.exec(file)?.[1]?.toLowerCase();
  return FILE_FORMATS.find((f) => f === ext);
}

const TEMP_MARK = '.airq-tmp-';
const TEMP_NAME = /^\..*\.airq-tmp-(\d+)-[0-9a-f]+$/;

/**
 * Writes `target` through a hidden temporary name beside it, renamed over `target` only once `write` finished:
 * a crash or an error midway never leaves a half file under the real name. Returns what `write` returned.
 */
export async function writeAtomically<T>(target: string, write: (temp: string) => Promise<T>): Promise<T> {
  const temp = join(dirname(target), `.${basename(target)}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const value = await write(temp);
    renameSync(temp, target);
    return value;
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

/** Removes what an interrupted writeAtomically left in `dir`: the temporary files of processes no longer running. */
export function removeTempFiles(dir: string): void {
  for (const entry of readdirSync(dir)) {
    const pid = TEMP_NAME.exec(entry)?.[1];
    if (pid !== undefined && !pidAlive(Number(pid))) rmSync(join(dir, entry), { force: true });
  }
}
