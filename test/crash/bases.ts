// The crash suite's starting points: a small Beijing slice, the aqicn file, the local providers, and base stores built once per run.
import { spawn } from 'node:child_process';
import { cpSync, createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { findDataDir } from '../../src/core/data-dir.js';
import { fakeProviders, type FakeProviders } from '../helpers/providers.js';
import type { BaseName, CrashCommand } from './commands.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'airq.js');
const SLICE_STATIONS = ['Dongsi', 'Tiantan'];
/** Hours of each station file in the slice: 120 days from 2013-03-01. */
const SLICE_HOURS = 24 * 120;

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `airq ...args` as a child process, to completion. */
export function airqChild(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const c = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, AIRQ_STORE: undefined, AIRQ_TODAY: undefined, ...env } });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('error', reject);
    c.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 }));
  });
}

/** The first SLICE_HOURS rows of two real station files, gzip'd under their own names. */
async function beijingSlice(dir: string): Promise<string | undefined> {
  const source = findDataDir('beijing');
  if (!source) return undefined;
  const out = join(dir, 'beijing-slice');
  mkdirSync(out, { recursive: true });
  for (const s of SLICE_STATIONS) {
    const name = `PRSA_Data_${s}_20130301-20170228.csv.gz`;
    const lines: string[] = [];
    for await (const line of createInterface({ input: createReadStream(join(source, name)).pipe(createGunzip()) })) {
      lines.push(line);
      if (lines.length > SLICE_HOURS) break;
    }
    await pipeline(Readable.from([`${lines.join('\n')}\n`]), createGzip(), createWriteStream(join(out, name)));
  }
  return out;
}

export interface Harness {
  root: string;
  providers: FakeProviders;
  slice: string | undefined;
  aqicn: string | undefined;
  /** A new store directory for one run of `cmd`: empty, or a copy of its base. */
  fresh(cmd: CrashCommand): Promise<string>;
  /** The environment and arguments of `cmd` on `dir` (its fallback's with `fallback`). */
  argv(cmd: CrashCommand, dir: string, fallback?: boolean): { args: string[]; env: NodeJS.ProcessEnv };
  /** Starts building base store `name` now (in the background), so that the first `fresh` of a command on it waits less. */
  warm(name: Exclude<BaseName, 'empty'>): void;
  /** Why `cmd` cannot run here (its data is absent), or undefined. */
  unavailable(cmd: CrashCommand): string | undefined;
  close(): Promise<void>;
}

/** Sets up the providers and data; base stores are built on first use (`synthetic` may be given ready-made). */
export async function harness(options: { synthetic?: string } = {}): Promise<Harness> {
  const root = mkdtempSync(join(tmpdir(), 'airq-crash-'));
  const providers = await fakeProviders({ aqicnToday: '2024-03-10' });
  const slice = await beijingSlice(root);
  const aqicnDir = findDataDir('aqicn');
  const aqicn = aqicnDir && join(aqicnDir, 'hells-kitchen.csv');
  const bases = new Map<BaseName, Promise<string>>();
  if (options.synthetic) bases.set('synthetic', Promise.resolve(options.synthetic));
  let n = 0;
  const newDir = () => join(root, `s${++n}`);
  const h: Harness = {
    root,
    providers,
    slice,
    aqicn,
    argv(cmd, dir, fallback = false) {
      const args = (fallback && cmd.fallback ? cmd.fallback.args : cmd.args).map((a) => (a === '{slice}' ? slice! : a === '{aqicn}' ? aqicn! : a));
      const env: NodeJS.ProcessEnv = { ...(cmd.providers ? providers.env : {}), ...(cmd.today ? { AIRQ_TODAY: cmd.today } : {}) };
      return { args: [...args, '--store', dir], env };
    },
    unavailable(cmd) {
      if (cmd.args.includes('{slice}') && !slice) return 'the Beijing data is absent (set AIRQ_DATA_DIR)';
      if (cmd.args.includes('{aqicn}') && !aqicn) return 'the aqicn data is absent (set AIRQ_DATA_DIR)';
      return undefined;
    },
    warm(name) {
      if (bases.has(name)) return;
      const building = buildBase(name, newDir(), providers);
      building.catch(() => undefined); // reported by the fresh() that awaits it
      bases.set(name, building);
    },
    async fresh(cmd) {
      const dir = newDir();
      if (cmd.base === 'empty') return dir;
      h.warm(cmd.base);
      cpSync(await bases.get(cmd.base)!, dir, { recursive: true });
      return dir;
    },
    async close() {
      await providers.close();
      rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
  return h;
}

async function buildBase(name: BaseName, dir: string, providers: FakeProviders): Promise<string> {
  const steps: Record<Exclude<BaseName, 'empty'>, { args: string[]; env?: NodeJS.ProcessEnv }> = {
    synthetic: { args: ['demo', '--source', 'synthetic', '--today', '2024-06-30'] },
    backfilled: { args: ['pipeline', 'backfill', '--source', 'synthetic', '--today', '2024-06-30'] },
    places: { args: ['places', 'add', 'Testville'], env: { ...providers.env, AIRQ_TODAY: '2024-03-10' } },
  };
  const step = steps[name as Exclude<BaseName, 'empty'>];
  const r = await airqChild([...step.args, '--store', dir], step.env);
  if (r.code !== 0) throw new Error(`building the ${name} base store failed (${r.code}): ${r.stderr}`);
  return dir;
}
