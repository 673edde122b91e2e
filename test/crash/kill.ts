// One crash case: start a writing command with a reader attached, SIGKILL it at a chosen moment, check the store, re-run the command and compare with an uninterrupted run.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DB_FILE, FeatureStore, verifyStore } from '../../src/store/index.js';
import { airqChild, BIN, type Harness } from './bases.js';
import type { CrashCommand, KillPoint } from './commands.js';
import { differences, fingerprint, type Fingerprint } from './fingerprint.js';
import { startReader, type ReaderKind } from './readers.js';

export interface Moment {
  /** A deterministic point (then `delayMs` more), or undefined for a delay after the start. */
  point?: KillPoint;
  delayMs: number;
}

export interface KillResult {
  command: string;
  moment: string;
  /** False when the command finished before the moment came (not counted as a kill). */
  killed: boolean;
  /** The kill left a database file (else there was nothing to check yet). */
  storeFile: boolean;
  consistent: boolean;
  rerunOk: boolean;
  /** null when not compared. */
  matched: boolean | null;
  reader: ReaderKind;
  reads: number;
  problems: string[];
}

const describeMoment = (m: Moment) =>
  m.point === undefined ? `${m.delayMs} ms after start` : `${'stderr' in m.point ? `stderr "${m.point.stderr}"` : `entry in ${m.point.in}/`} + ${m.delayMs} ms`;

/** The store as the next writer opens it (WAL recovered, queue applied), then its read snapshot: both checked. */
export async function checkStore(dir: string): Promise<string[]> {
  const problems: string[] = [];
  for (const readOnly of [false, true]) {
    try {
      const store = await FeatureStore.open({ dir, readOnly, wait: { waitMs: 30_000 } });
      try {
        const r = await verifyStore(store);
        problems.push(...r.problems.map((p) => `${readOnly ? 'snapshot' : 'store'}: ${p}`));
      } finally {
        await store.close();
      }
    } catch (e) {
      problems.push(`${readOnly ? 'the read snapshot' : 'the store'} does not open: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return problems;
}

function reached(point: KillPoint, dir: string, stderr: string): boolean {
  if ('stderr' in point) return stderr.includes(point.stderr);
  const folder = join(dir, point.in);
  return existsSync(folder) && readdirSync(folder).some((e) => e.startsWith(point.entry));
}

/** Runs the writer and kills it at `moment`; resolves whether it was killed (false: it had finished). */
function runAndKill(h: Harness, cmd: CrashCommand, dir: string, moment: Moment): Promise<{ killed: boolean; stderr: string }> {
  const { args, env } = h.argv(cmd, dir);
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, AIRQ_STORE: undefined, AIRQ_TODAY: undefined, ...env } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  return new Promise((resolve) => {
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    const kill = () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killed = true;
      child.kill('SIGKILL');
    };
    const armed = () => (timer = setTimeout(kill, moment.delayMs));
    let poll: NodeJS.Timeout | undefined;
    if (moment.point === undefined) armed();
    else
      poll = setInterval(() => {
        if (reached(moment.point!, dir, stderr)) {
          clearInterval(poll);
          poll = undefined;
          armed();
        }
      }, 2);
    child.on('close', () => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolve({ killed, stderr });
    });
  });
}

/** The same command again, to completion; its fallback when it refuses for the documented reason (the place is already there). */
async function rerun(h: Harness, cmd: CrashCommand, dir: string) {
  const { args, env } = h.argv(cmd, dir);
  const again = await airqChild(args, env);
  if (again.code === 0 || !cmd.fallback || !again.stderr.includes(cmd.fallback.when)) return again;
  const f = h.argv(cmd, dir, true);
  return airqChild(f.args, f.env);
}

/** Queue files a killed process left half-written, still there after a writer opened the store (it removes them). */
function spoolTemps(dir: string): string[] {
  const spool = join(dir, 'spool');
  if (!existsSync(spool)) return [];
  return readdirSync(spool)
    .filter((n) => n.endsWith('.json.tmp'))
    .map((n) => `a half-written queue file survived a writer's open: spool/${n}`);
}

export interface KillOptions {
  /** The uninterrupted run's fingerprint (no comparison without it). */
  reference?: Fingerprint;
  /** Check the store again after the re-run (default true; the short version leaves it to the full run). */
  checkAfterRerun?: boolean;
}

/** One kill of `cmd` at `moment`, with a `reader` attached, then a check of the store and a re-run. */
export async function killOnce(h: Harness, cmd: CrashCommand, moment: Moment, reader: ReaderKind, options: KillOptions = {}): Promise<KillResult> {
  const { reference, checkAfterRerun = true } = options;
  const dir = await h.fresh(cmd);
  const result: KillResult = {
    command: cmd.name,
    moment: describeMoment(moment),
    killed: false,
    storeFile: false,
    consistent: false,
    rerunOk: false,
    matched: null,
    reader,
    reads: 0,
    problems: [],
  };
  try {
    const r = startReader(reader, dir);
    await r.ready;
    const run = await runAndKill(h, cmd, dir, moment);
    const seen = await r.stop();
    result.killed = run.killed;
    result.reads = seen.reads;
    result.problems.push(...seen.failures.map((f) => `reader: ${f}`));
    result.storeFile = existsSync(join(dir, DB_FILE));
    const after = result.storeFile ? [...(await checkStore(dir)), ...spoolTemps(dir)] : [];
    result.problems.push(...after.map((p) => `after the kill: ${p}`));
    result.consistent = after.length === 0;
    const again = await rerun(h, cmd, dir);
    result.rerunOk = again.code === 0;
    if (!result.rerunOk) result.problems.push(`the re-run exited ${again.code}: ${again.stderr.trim().split('\n').at(-1)}`);
    else {
      const end = checkAfterRerun ? await checkStore(dir) : [];
      result.problems.push(...end.map((p) => `after the re-run: ${p}`));
      if (reference) {
        const diff = differences(reference, await fingerprint(dir, cmd));
        result.matched = diff.length === 0;
        result.problems.push(...diff.map((d) => `re-run vs uninterrupted: ${d}`));
      }
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

/** The uninterrupted run of `cmd` from its base: its fingerprint and how long it took. */
export async function referenceRun(h: Harness, cmd: CrashCommand): Promise<{ fingerprint: Fingerprint; ms: number }> {
  const dir = await h.fresh(cmd);
  try {
    const { args, env } = h.argv(cmd, dir);
    const r = await airqChild(args, env);
    if (r.code !== 0) throw new Error(`the uninterrupted ${cmd.name} failed (${r.code}): ${r.stderr.trim()}`);
    return { fingerprint: await fingerprint(dir, cmd), ms: r.ms };
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}
