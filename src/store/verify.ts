// Checks that a store agrees with itself: rows with the commit log, online with offline, indexes with tables, models with their files.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CommitInfo } from './commit-log.js';
import type { FeatureGroup } from './feature-group.js';
import type { FeatureStore } from './feature-store.js';
import type { FeatureValue, Row } from './types.js';

export interface VerifyReport {
  /** True when nothing disagrees. */
  ok: boolean;
  /** One sentence per disagreement, naming the group, commit, key or file. */
  problems: string[];
  /** What was looked at. */
  checked: { groups: number; commits: number; rows: number; onlineKeys: number; indexes: number; models: number };
}

export interface VerifyOptions {
  /** Per group, how many of its latest commits have their rows counted one by one (default 200; the totals cover all). */
  commitsPerGroup?: number;
  /** Per online-enabled group, how many keys are compared with the offline rows (default 10,000). */
  onlineKeys?: number;
}

type Counts = VerifyReport['checked'];
type Problems = string[];

const label = (fg: FeatureGroup) => `${fg.name} v${fg.version}`;

/**
 * Checks the store as this process opened it (the store itself for a writer, its read snapshot for a
 * reader), through the public API only. It writes nothing, though a vector index may catch up with
 * the commits it had not seen yet (as any search does).
 */
export async function verifyStore(store: FeatureStore, options: VerifyOptions = {}): Promise<VerifyReport> {
  const problems: Problems = [];
  const checked: Counts = { groups: 0, commits: 0, rows: 0, onlineKeys: 0, indexes: 0, models: 0 };
  const groups = store.listFeatureGroups();
  const logs = new Map<FeatureGroup, CommitInfo[]>();
  for (const fg of groups) logs.set(fg, (await fg.commits({ limit: 1_000_000_000 })).reverse());
  const allIds = [...new Set([...logs.values()].flat().map((c) => c.commitId))].sort((a, b) => a - b);
  const previous = new Map(allIds.map((id, i) => [id, i === 0 ? 0 : allIds[i - 1]!]));
  for (const fg of groups) {
    checked.groups++;
    await checkCommits(fg, logs.get(fg)!, previous, options.commitsPerGroup ?? 200, problems, checked);
    if (fg.meta.schema === null) continue;
    if (fg.onlineEnabled) await checkOnline(fg, options.onlineKeys ?? 10_000, problems, checked);
    if (fg.meta.embeddingIndex) await checkIndexes(fg, problems, checked);
  }
  checkModels(store, problems, checked);
  return { ok: problems.length === 0, problems, checked };
}

/** Rows written by each commit, the rows current after it, and the current rows now, against the log's counts. */
async function checkCommits(
  fg: FeatureGroup,
  log: CommitInfo[],
  previous: Map<number, number>,
  perCommit: number,
  problems: Problems,
  checked: Counts,
): Promise<void> {
  const now = await fg.count();
  checked.rows += now;
  const expected = log.reduce((n, c) => n + c.rowsInserted - c.rowsDeleted, 0);
  if (now !== expected) problems.push(`${label(fg)}: ${now} current rows, but its commit log adds up to ${expected}`);
  if (fg.meta.schema === null) return;
  const last = log.at(-1);
  if (last && (await fg.asOf(last.commitId).count()) !== now) {
    problems.push(`${label(fg)}: rows written after its last logged commit ${last.commitId} are current`);
  }
  if (!last && now > 0) problems.push(`${label(fg)}: ${now} rows but no commit in its log`);
  const from = Math.max(0, log.length - perCommit);
  let before = from === 0 ? 0 : await fg.asOf(log[from - 1]!.commitId).count();
  for (const c of log.slice(from)) {
    checked.commits++;
    const after = await fg.asOf(c.commitId).count();
    if (after - before !== c.rowsInserted - c.rowsDeleted) {
      problems.push(
        `${label(fg)} commit ${c.commitId} (${c.operation}): rows went from ${before} to ${after}, its log says +${c.rowsInserted} -${c.rowsDeleted}`,
      );
    }
    if (c.operation !== 'alter') {
      const written = await fg.asOf(c.commitId, { excludeUntil: previous.get(c.commitId)! }).count();
      const logged = c.rowsInserted + c.rowsUpdated;
      if (written !== logged) problems.push(`${label(fg)} commit ${c.commitId} (${c.operation}): ${written} row versions written, its log says ${logged}`);
    }
    before = after;
  }
}

const keyOf = (fg: FeatureGroup, row: Row): FeatureValue[] => fg.primaryKey.map((k) => row[k] ?? null);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The online row of each key is the offline row with the latest event time (or is missing only when a TTL hides it). */
async function checkOnline(fg: FeatureGroup, limit: number, problems: Problems, checked: Counts): Promise<void> {
  const latest = new Map<string, Row>();
  const et = fg.eventTime;
  for (const row of await fg.read()) {
    const k = JSON.stringify(keyOf(fg, row));
    const seen = latest.get(k);
    if (!seen || (et !== undefined && String(row[et]) > String(seen[et]))) latest.set(k, row);
  }
  const rows = [...latest.values()].slice(0, limit);
  const online = await fg.getOnlineBatch(rows.map((r) => keyOf(fg, r)));
  rows.forEach((row, i) => {
    checked.onlineKeys++;
    const got = online[i];
    if (got === undefined) {
      if (fg.meta.ttl === undefined) problems.push(`${label(fg)}: key ${JSON.stringify(keyOf(fg, row))} is offline but not online`);
      return;
    }
    const differs = Object.keys(row).filter((c) => c in got && !same(got[c], row[c]));
    if (differs.length > 0)
      problems.push(`${label(fg)}: online row of ${JSON.stringify(keyOf(fg, row))} differs from the latest offline row in ${differs.join(', ')}`);
  });
}

/** A search with a stored row's own vector finds that row (or rows at the same distance) in each index. */
async function checkIndexes(fg: FeatureGroup, problems: Problems, checked: Counts): Promise<void> {
  const rows = await fg.selectAll().limit(3).read();
  for (const spec of fg.meta.embeddingIndex ?? []) {
    checked.indexes++;
    for (const row of rows) {
      const vector = row[spec.column];
      if (!Array.isArray(vector)) continue;
      const want = JSON.stringify(keyOf(fg, row));
      const found = await fg.findNeighbors(vector as number[], { column: spec.column, k: 10 });
      const hit = found.some((n) => JSON.stringify(n.key) === want) || (found.length === 10 && found.every((n) => n.distance <= 1e-6));
      if (!hit) problems.push(`${label(fg)}: the ${spec.column} index does not find row ${want} by its own vector`);
    }
  }
}

/** Every registered model's files are where the registry says. */
function checkModels(store: FeatureStore, problems: Problems, checked: Counts): void {
  for (const model of store.registry.list()) {
    checked.models++;
    const missing = model.meta.files.filter((f) => !existsSync(join(model.path, f)));
    if (missing.length > 0)
      problems.push(`model ${model.name} v${model.version}: ${missing.length} artifact file(s) missing in ${model.path}: ${missing.slice(0, 5).join(', ')}`);
  }
}
