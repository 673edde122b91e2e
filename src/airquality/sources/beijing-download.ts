// Downloads the public UCI Beijing archive and keeps its station CSVs, gzip'd, in a data folder.
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ValidationError } from '../../core/errors.js';
import { zipEntries, type ZipEntry } from '../../core/zip.js';
import { fetchRetrying, type FetchOptions } from '../http/fetch.js';
import { BEIJING_FILE } from './beijing.js';

/** UCI Machine Learning Repository, dataset 501 (CC BY 4.0): a zip that holds a zip of 12 station CSVs. */
export const BEIJING_ARCHIVE_URL = 'https://archive.ics.uci.edu/static/public/501/beijing+multi+site+air+quality+data.zip';

export interface DownloadResult {
  dir: string;
  files: string[];
  bytes: number;
}

/** The station CSVs inside the archive, looking one level into nested zips (UCI wraps the data zip in another). */
function stationEntries(entries: ZipEntry[], depth = 0): ZipEntry[] {
  const out: ZipEntry[] = [];
  for (const e of entries) {
    const name = basename(e.name);
    if (BEIJING_FILE.test(name) && name.endsWith('.csv')) out.push(e);
    else if (depth === 0 && name.toLowerCase().endsWith('.zip')) out.push(...stationEntries(zipEntries(e.read(), name), depth + 1));
  }
  return out;
}

/**
 * Fetches the archive from `url` and writes each station CSV as `<name>.csv.gz` into `dir`. The files
 * are written to a temporary folder beside `dir` first and moved in only when all are good, so a
 * failed or interrupted download leaves `dir` as it was.
 */
export async function downloadBeijing(dir: string, url = BEIJING_ARCHIVE_URL, fetchOptions: Partial<FetchOptions> = {}): Promise<DownloadResult> {
  const response = await fetchRetrying(url, { what: 'UCI Beijing download', timeoutMs: 120_000, ...fetchOptions }, 'application/zip');
  const zip = Buffer.from(await response.arrayBuffer());
  const stations = stationEntries(zipEntries(zip, 'the UCI Beijing archive'));
  if (stations.length === 0) throw new ValidationError(`the archive at ${url} holds no PRSA_Data_<Station>_<from>-<to>.csv files; nothing was written`);
  mkdirSync(dirname(dir), { recursive: true });
  const staging = mkdtempSync(join(dirname(dir), '.beijing-download-'));
  try {
    const files: string[] = [];
    for (const entry of stations) {
      const csv = entry.read();
      if (!csv.subarray(0, 200).toString('utf8').includes('PM2.5'))
        throw new ValidationError(`${entry.name} in the archive is not a station CSV (no PM2.5 column); nothing was written`);
      const name = `${basename(entry.name)}.gz`;
      writeFileSync(join(staging, name), gzipSync(csv));
      files.push(name);
    }
    mkdirSync(dir, { recursive: true });
    for (const name of files) renameSync(join(staging, name), join(dir, name));
    return {
      dir,
      files: readdirSync(dir)
        .filter((f) => files.includes(f))
        .sort(),
      bytes: zip.length,
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
