// Runs kills of every writing command from one seed and sums them up in a table: kills, consistent stores, re-runs completed and matched.
import type { Harness } from './bases.js';
import { COMMANDS, type CrashCommand, type KillPoint } from './commands.js';
import { killOnce, referenceRun, type KillResult, type Moment } from './kill.js';
import { seededRandom } from '../../src/core/random.js';

export interface SuiteOptions {
  seed: number;
  /** Kills per command. */
  kills(cmd: CrashCommand): number;
  /** Compare re-runs with an uninterrupted run (one more run of the command). */
  compare(cmd: CrashCommand): boolean;
  only?: readonly string[];
  log?(line: string): void;
}

export interface SuiteResult {
  results: KillResult[];
  skipped: string[];
}

/** Each command draws from its own stream of the seed, so one command can be replayed alone. */
export const streamOf = (seed: number, name: string) => seededRandom([...name].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), seed ^ 2166136261));

/** The moment the store's write-ahead log appears: the command's first write is under way. */
export const FIRST_WRITE: KillPoint = { entry: 'store.duckdb.wal', in: '.' };

export function pickMoment(rand: () => number, cmd: CrashCommand, ms: number): Moment {
  const points = [...cmd.points, FIRST_WRITE];
  if (rand() < 0.5) return { point: points[Math.floor(rand() * points.length)]!, delayMs: Math.floor(rand() * 60) };
  return { delayMs: Math.floor(rand() * ms * 1.1) };
}

export async function runSuite(h: Harness, o: SuiteOptions): Promise<SuiteResult> {
  const results: KillResult[] = [];
  const skipped: string[] = [];
  for (const cmd of COMMANDS) {
    if (o.only && !o.only.includes(cmd.name)) continue;
    const why = h.unavailable(cmd);
    if (why) {
      skipped.push(`${cmd.name}: ${why}`);
      o.log?.(`SKIPPING crash cases of ${cmd.name}: ${why}`);
      continue;
    }
    const rand = streamOf(o.seed, cmd.name);
    const ref = o.compare(cmd) ? await referenceRun(h, cmd) : undefined;
    const ms = ref?.ms ?? 3000;
    const want = o.kills(cmd);
    let kills = 0;
    for (let attempt = 0; kills < want && attempt < want * 4; attempt++) {
      // Later attempts of a command that keeps finishing first aim earlier.
      const moment = pickMoment(rand, cmd, ms / (1 + Math.floor(attempt / want)));
      const r = await killOnce(h, cmd, moment, rand() < 0.5 ? 'verify' : 'cli', { reference: ref?.fingerprint });
      if (r.killed) kills++;
      if (r.killed || r.problems.length > 0) results.push(r);
      o.log?.(
        `${cmd.name}: ${r.killed ? 'killed' : 'finished before'} at ${r.moment} (${r.reader} reader, ${r.reads} reads)${r.problems.length ? ` PROBLEMS: ${r.problems.join(' | ')}` : ''}`,
      );
    }
  }
  return { results, skipped };
}

/** The summary: per command the kills, stores with a database file, consistent ones, re-runs completed and matched. */
export function summaryTable(results: readonly KillResult[]): string {
  const rows = new Map<string, number[]>();
  for (const r of results) {
    const row = rows.get(r.command) ?? [0, 0, 0, 0, 0, 0, 0];
    const add = [r.killed, r.storeFile, r.killed && r.storeFile && r.consistent, r.rerunOk, r.matched === true, r.matched !== null, r.reads];
    add.forEach((v, i) => (row[i]! += typeof v === 'number' ? v : v ? 1 : 0));
    rows.set(r.command, row);
  }
  const total = [...rows.values()].reduce((t, r) => t.map((v, i) => v + r[i]!), [0, 0, 0, 0, 0, 0, 0]);
  const head = ['command', 'kills', 'db file', 'consistent (of db file)', 're-runs ok', 're-runs matched', 'reader reads'];
  const line = (name: string, r: number[]) => [name, r[0], r[1], r[2], r[3], r[5] ? `${r[4]}/${r[5]}` : '-', r[6]].map(String);
  const table = [head, ...[...rows].map(([n, r]) => line(n, r)), line('total', total)];
  const widths = head.map((_, i) => Math.max(...table.map((t) => t[i]!.length)));
  return table.map((t) => t.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
}

/** Kills that broke a promise: a reader failure, an inconsistent store, a re-run that failed or differs. */
export const failed = (results: readonly KillResult[]) => results.filter((r) => r.problems.length > 0);
