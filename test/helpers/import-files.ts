// Small import files for tests: a slice of a real Beijing station file written plain under its real name, edits to single fields, and a store's state to compare.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FeatureStore } from '../../src/store/index.js';
import { tempDir } from './tmp.js';

export const beijingName = (station: string) => `PRSA_Data_${station}_20130301-20170228.csv`;

/** The header and the first `hours` data lines of a real station file (2013-03-01 00:00 on). */
export function beijingLines(beijingDir: string, station: string, hours: number): string[] {
  const text = gunzipSync(readFileSync(join(beijingDir, `${beijingName(station)}.gz`))).toString('utf8');
  return text.split(/\r?\n/).slice(0, hours + 1);
}

/** Writes `lines` as the plain station file of `station` in `dir` (default: a new temp dir); returns the dir. */
export function writeBeijing(lines: readonly string[], station = 'Aotizhongxin', dir = tempDir('airq-bj-')): string {
  writeFileSync(join(dir, beijingName(station)), `${lines.join('\n')}\n`);
  return dir;
}

/** `lines` with the field `column` of file line `lineNo` (1 = the header) set to `value`. */
export function setField(lines: readonly string[], lineNo: number, column: string, value: string): string[] {
  const header = lines[0]!.split(',').map((h) => h.replaceAll('"', ''));
  const at = header.indexOf(column);
  if (at < 0) throw new Error(`no column ${column}`);
  return lines.map((l, i) => {
    if (i !== lineNo - 1) return l;
    const v = l.split(',');
    v[at] = value;
    return v.join(',');
  });
}

const plain = (_: string, v: unknown) => (typeof v === 'bigint' ? String(v) : v);

/** Everything a refused import must leave as it was: each group's commits and current rows, and the store's last commit. */
export async function storeState(dir: string): Promise<string> {
  const store = await FeatureStore.open({ dir, readOnly: true });
  try {
    const groups = [];
    for (const g of store.listFeatureGroups()) {
      groups.push({
        name: g.name,
        version: g.version,
        commits: await g.commits(),
        rows: (await g.selectAll().read()).map((r) => JSON.stringify(r, plain)).sort(),
      });
    }
    return JSON.stringify({ last: store.lastCommitId, groups });
  } finally {
    await store.close();
  }
}
