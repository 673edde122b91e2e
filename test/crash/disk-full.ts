// Disk full: writing commands on a small tmpfs (a private mount namespace), at several sizes; the store must stay consistent and the re-run must match.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DB_FILE } from '../../src/store/index.js';
import { readCurrent } from '../../src/store/snapshots.js';
import { airqChild, BIN, type Harness } from './bases.js';
import { COMMANDS, type CrashCommand } from './commands.js';
import { differences, fingerprint } from './fingerprint.js';
import { checkStore, referenceRun } from './kill.js';

export interface DiskFullCase {
  ok: boolean;
  line: string;
}

/** MiB of room above the base store: from nothing written to nearly everything. */
const LEVELS = [0.25, 1, 2, 4, 8, 16];
const CASES = ['import beijing', 'pipeline backfill', 'train'];
/** The one line a full disk must end in: which file, that the disk is full, that nothing committed was lost, what to do. */
export const DISK_FULL_LINE =
  /^airq: the disk holding \S+ is full \(ENOSPC: No space left on device\) while .+; nothing committed was lost: .+\. Free some space on that disk and run the command again$/;

/** Runs `sh -c script` in a new mount namespace (as root, or as a mapped root when unprivileged). */
const inNamespace = (script: string, env: NodeJS.ProcessEnv) =>
  spawnSync('unshare', ['-rm', 'sh', '-c', script], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 300_000 });

/** Why a tmpfs cannot be mounted here, or undefined when it can. */
export function tmpfsUnavailable(dir: string): string | undefined {
  mkdirSync(dir, { recursive: true });
  const r = inNamespace('mount -t tmpfs -o size=1m tmpfs "$MNT" && touch "$MNT/x"', { MNT: dir });
  if (r.error) return `unshare is not available (${r.error.message})`;
  return r.status === 0 ? undefined : `mounting a tmpfs failed: ${r.stderr.trim()}`;
}

const SCRIPT = `set -e
mount -t tmpfs -o size="$SIZE"k tmpfs "$MNT"
if [ -n "$BASE" ]; then cp -a "$BASE" "$MNT/store"; fi
set +e
"$NODE" "$BIN" "$@" --store "$MNT/store" >"$OUT/stdout" 2>"$OUT/stderr"
echo $? >"$OUT/rc"
if [ -d "$MNT/store" ]; then cp -a "$MNT/store" "$OUT/store"; fi
exit 0`;

function duKib(dir: string): number {
  const r = spawnSync('du', ['-sk', dir], { encoding: 'utf8' });
  return Number(r.stdout.split(/\s/)[0]);
}

/**
 * Removes the read snapshots CURRENT does not name: a base's superseded snapshots (each a full copy of
 * the database) would otherwise be room the command frees as it goes, and it would never run out.
 */
export function pruneSnapshots(store: string): void {
  const read = join(store, 'read');
  const keep = existsSync(read) ? readCurrent(store)?.name : undefined;
  if (!keep) return;
  for (const n of readdirSync(read)) if (/^s\d+$/.test(n) && n !== keep) rmSync(join(read, n), { recursive: true, force: true });
}

export interface TmpfsRun {
  label: string;
  rc: number;
  stderr: string;
  /** The store as the command left it, copied off the tmpfs. */
  store: string;
}

/**
 * Runs `cmd` on a tmpfs with `mib` MiB of room above its base store (`prepare` may change the base first;
 * by default superseded read snapshots go). `n` numbers the case's folder.
 */
export function runWithRoom(h: Harness, cmd: CrashCommand, base: string, mib: number, n: number, prepare: (base: string) => void = pruneSnapshots): TmpfsRun {
  const work = join(h.root, `disk-${n}`);
  const mnt = join(work, 'mnt');
  mkdirSync(mnt, { recursive: true });
  const hasBase = existsSync(base);
  if (hasBase) prepare(base);
  const size = Math.ceil((hasBase ? duKib(base) : 0) + mib * 1024);
  const { args, env } = h.argv(cmd, 'unused');
  const quoted = args
    .slice(0, -2)
    .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
    .join(' ');
  const script = SCRIPT.replace('"$@" --store', `${quoted} --store`);
  inNamespace(script, { ...env, SIZE: String(size), MNT: mnt, BASE: hasBase ? base : '', OUT: work, NODE: process.execPath, BIN });
  return {
    label: `disk full: ${cmd.name} with ${mib} MiB free`,
    rc: Number(readFileSync(join(work, 'rc'), 'utf8')),
    stderr: readFileSync(join(work, 'stderr'), 'utf8'),
    store: join(work, 'store'),
  };
}

/** What a run out of room broke: not the one disk-full line, a stack trace, snapshot leftovers, an inconsistent store, a re-run with room that fails. */
export async function afterFull(h: Harness, cmd: CrashCommand, run: TmpfsRun): Promise<{ problems: string[]; rerunOk: boolean }> {
  const problems: string[] = [];
  if (run.rc !== 0) {
    const last = run.stderr.trim().split('\n').at(-1)!;
    if (!DISK_FULL_LINE.test(last)) problems.push(`not the disk-full error: ${last}`);
    if (/^\s+at /m.test(run.stderr)) problems.push('a stack trace on stderr');
  }
  problems.push(...leftovers(run.store));
  if (existsSync(join(run.store, DB_FILE))) problems.push(...(await checkStore(run.store)).map((p) => `after the failure: ${p}`));
  const { args, env } = h.argv(cmd, run.store);
  const again = await airqChild(args, env);
  if (again.code !== 0) problems.push(`the re-run with room exited ${again.code}: ${again.stderr.trim()}`);
  return { problems, rerunOk: again.code === 0 };
}

async function oneCase(h: Harness, cmd: CrashCommand, mib: number, n: number, reference: Awaited<ReturnType<typeof referenceRun>>): Promise<DiskFullCase> {
  const run = runWithRoom(h, cmd, await h.fresh(cmd), mib, n);
  const { problems, rerunOk } = await afterFull(h, cmd, run);
  if (rerunOk) problems.push(...differences(reference.fingerprint, await fingerprint(run.store, cmd)).map((d) => `re-run vs uninterrupted: ${d}`));
  const outcome = run.rc === 0 ? 'fit' : `failed: ${run.stderr.trim().split('\n').at(-1)!.slice(0, 400)}`;
  return {
    ok: problems.length === 0,
    line: `${run.label}: ${outcome}; ${problems.length ? `PROBLEMS: ${problems.join(' | ')}` : 'consistent, re-run matched'}`,
  };
}

/** Half-written copies a failed publish must not leave: read/.tmp-* and read/CURRENT.tmp. */
export function leftovers(store: string): string[] {
  const read = join(store, 'read');
  if (!existsSync(read)) return [];
  return readdirSync(read)
    .filter((n) => n.startsWith('.tmp-') || n === 'CURRENT.tmp')
    .map((n) => `a half-written snapshot copy was left: read/${n}`);
}

/** The disk-full cases, or one loud line saying why they were skipped. */
export async function diskFullCases(h: Harness, log: (line: string) => void, levels = LEVELS, names = CASES): Promise<DiskFullCase[]> {
  const why = tmpfsUnavailable(join(h.root, 'probe'));
  if (why) {
    const line = `SKIPPING the disk-full cases: ${why} (they need a tmpfs in a private mount namespace: root, or unprivileged user namespaces)`;
    log(line);
    return [{ ok: true, line }];
  }
  const out: DiskFullCase[] = [];
  let n = 0;
  for (const cmd of COMMANDS.filter((c) => names.includes(c.name) && !h.unavailable(c))) {
    const reference = await referenceRun(h, cmd);
    for (const mib of levels) {
      const c = await oneCase(h, cmd, mib, ++n, reference);
      log(c.line);
      out.push(c);
    }
  }
  return out;
}
