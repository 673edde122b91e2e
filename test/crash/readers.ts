// Readers attached to a store while a writer runs and dies: a verifying library reader, or `airq` read commands in a loop; each collects what it must never see.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { airqChild, ROOT } from './bases.js';

export type ReaderKind = 'verify' | 'cli';

/** What a reader may fail with while a store is being written or was just killed: busy, not there yet, retry. */
export const DOCUMENTED = /being written by|try again|no read snapshot yet|there is no airq store|was not free after/;

export interface Reader {
  kind: ReaderKind;
  /** Resolves after the first read (the writer starts then, so that reads overlap it). */
  ready: Promise<void>;
  /** Stops reading and returns what went wrong (nothing when every read succeeded or failed as documented), and how many reads there were. */
  stop(): Promise<{ failures: string[]; reads: number }>;
}

export function startReader(kind: ReaderKind, dir: string): Reader {
  return kind === 'verify' ? verifyReader(dir) : cliReader(dir);
}

function verifyReader(dir: string): Reader {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'crash', 'reader-process.ts'), dir], { cwd: ROOT });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const ready = new Promise<void>((resolve) => {
    child.stdout.on('data', () => resolve());
    void exited.then(() => resolve());
  });
  return {
    kind: 'verify',
    ready,
    async stop() {
      child.stdin.end();
      const code = await exited;
      const failures: string[] = [];
      const lines = out.split('\n').filter(Boolean);
      for (const line of lines) {
        const x = JSON.parse(line) as { ok?: boolean; problems?: string[]; error?: string; code?: string; commit?: number };
        if (x.ok === false) failures.push(`saw a half commit (snapshot at commit ${x.commit}): ${x.problems!.join('; ')}`);
        if (x.error !== undefined && !(DOCUMENTED.test(x.error) && (x.code === 'BUSY' || x.code === 'CONFIG')))
          failures.push(`read failed: [${x.code}] ${x.error}`);
      }
      if (code !== 0) failures.push(`the reader exited with ${code}: ${err.slice(-500)}`);
      return { failures, reads: lines.length };
    },
  };
}

function cliReader(dir: string): Reader {
  let stopped = false;
  let reads = 0;
  const failures: string[] = [];
  const commands = [
    ['status', '--json'],
    ['fg', 'list', '--json'],
  ];
  let first: () => void = () => {};
  const ready = new Promise<void>((r) => (first = r));
  const loop = (async () => {
    for (let i = 0; !stopped; i++) {
      const r = await airqChild([...commands[i % commands.length]!, '--wait', '1', '--store', dir]);
      reads++;
      first();
      if (r.code !== 0 && !DOCUMENTED.test(r.stderr)) failures.push(`airq ${commands[i % commands.length]!.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
    }
  })();
  return {
    kind: 'cli',
    ready,
    async stop() {
      stopped = true;
      await loop;
      return { failures, reads };
    },
  };
}
