// The eval store: the UCI Beijing data as the demo builds it (today 2017-02-21), reused while its inputs' content hash is unchanged.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import { knowledgeDir } from '../src/airquality/knowledge/documents.js';
import { runBeijing } from '../src/airquality/pipelines/beijing-pipeline.js';
import { makeReady } from '../src/airquality/ready-store.js';
import { projectRoot } from '../src/core/data-dir.js';
import { HashingEmbedder } from '../src/embed/hashing.js';
import { FeatureStore } from '../src/store/index.js';
import { DB_FILE } from '../src/store/feature-store.js';

/** The day the Beijing eval cases are written against: a week before the end of the data leaves a 7-day replayed forecast. */
export const EVAL_TODAY = '2017-02-21';
/** Bump when the way the eval store is built changes in a way its inputs' hash cannot see. */
const FORMAT = 'eval-store-1';

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => keep(f) && statSync(join(dir, f)).isFile())
    .sort()
    .map((f) => join(dir, f));
}

/**
 * What the store is built from: the data files, the knowledge base, and the code that turns them into a
 * store (the store, embedding, ML and domain layers in a clone; the whole bundle in an installed package).
 */
export function evalStoreHash(dataDir: string): string {
  const h = createHash('sha256').update(FORMAT);
  // The TypeScript sources in a clone (dist/ is built from them, so tests and the CLI share one store); the bundle
  // in an installed package, which ships no sources.
  const sources = join(projectRoot(), 'src');
  const code = existsSync(join(sources, 'store'))
    ? ['store', 'embed', 'ml', 'airquality'].flatMap((layer) => filesUnder(join(sources, layer), (f) => f.endsWith('.ts')))
    : filesUnder(join(projectRoot(), 'dist', 'cli'), (f) => f.endsWith('.js'));
  const inputs = [...filesUnder(dataDir, (f) => f.endsWith('.csv.gz') || f.endsWith('.csv')), ...filesUnder(knowledgeDir(), (f) => f.endsWith('.md')), ...code];
  for (const file of inputs) h.update(relative(projectRoot(), file)).update('\0').update(readFileSync(file)).update('\0');
  return h.digest('hex').slice(0, 16);
}

export function evalCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.AIRQ_EVAL_CACHE ?? join(homedir(), '.cache', 'airq', 'eval-stores');
}

/** Builds the store in `dir` the way `airq demo --source beijing` does, with the hashing embedder for the knowledge base (deterministic, offline). */
export async function buildEvalStore(dir: string, dataDir: string, log: (s: string) => void = () => undefined): Promise<void> {
  const store = await FeatureStore.open({ dir });
  try {
    const t0 = performance.now();
    await runBeijing(store, dataDir, { end: EVAL_TODAY, forecastDays: 7 });
    log(`eval store: data imported in ${((performance.now() - t0) / 1000).toFixed(1)} s; training`);
    await makeReady(store, EVAL_TODAY, new HashingEmbedder());
    log(`eval store: built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await store.close();
  }
}

/** The cached eval store for this data and code, built first when missing (into a temp dir, renamed when complete, so a crash leaves no half store). */
export async function ensureEvalStore(
  dataDir: string,
  log: (s: string) => void = () => undefined,
  cacheDir = evalCacheDir(),
): Promise<{ dir: string; reused: boolean }> {
  const dir = join(cacheDir, `beijing-${evalStoreHash(dataDir)}`);
  if (existsSync(join(dir, DB_FILE))) {
    markUsed(dir);
    return { dir, reused: true };
  }
  mkdirSync(cacheDir, { recursive: true });
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  log(`eval store: building ${dir} from ${dataDir}`);
  try {
    await buildEvalStore(building, dataDir, log);
    if (existsSync(dir))
      rmSync(building, { recursive: true, force: true }); // another process finished first
    else renameSync(building, dir);
  } catch (e) {
    rmSync(building, { recursive: true, force: true });
    throw e;
  }
  markUsed(dir);
  pruneEvalStores(cacheDir, 3, dir);
  return { dir, reused: false };
}

/** Last used now, so pruning keeps it; a cache this process may not write is used as it is. */
function markUsed(dir: string): void {
  try {
    const now = new Date();
    utimesSync(dir, now, now);
  } catch {
    // read-only cache, or removed meanwhile by another process's pruning (then it is rebuilt next time)
  }
}

/** Folders of a build that never finished (a killed process) are removed after a day. */
const ABANDONED_MS = 24 * 3600 * 1000;

/**
 * Removes all but the `keep` most recently used eval stores of `cacheDir` (~70 MB each; `inUse`, the one just built,
 * is always kept): every change to the code they are built from builds a new one, and without this the cache only grew.
 */
export function pruneEvalStores(cacheDir: string, keep = 3, inUse?: string): string[] {
  // Other processes prune too: an entry may be gone by the time it is looked at.
  const entries = readdirSync(cacheDir).flatMap((name) => {
    const stat = statSync(join(cacheDir, name), { throwIfNoEntry: false });
    return stat ? [{ name, dir: join(cacheDir, name), used: stat.mtimeMs }] : [];
  });
  const stores = entries.filter((e) => /^beijing-[0-9a-f]{16}$/.test(e.name) && e.dir !== inUse).sort((a, b) => b.used - a.used);
  const abandoned = entries.filter((e) => /^beijing-[0-9a-f]{16}\.building-\d+$/.test(e.name) && Date.now() - e.used > ABANDONED_MS);
  const removed = [...stores.slice(inUse ? keep - 1 : keep), ...abandoned].map((e) => e.dir);
  for (const dir of removed) rmSync(dir, { recursive: true, force: true });
  return removed;
}
