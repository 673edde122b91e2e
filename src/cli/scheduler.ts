// `airq serve`'s daily schedule: `airq run` in a child process at HH:MM in the places' time zones, and once at
// start when the store is stale. The serving process keeps answering while the child writes; its live store
// switches to the new snapshot when the run commits.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { clearSchedule, nextRunAt, writeSchedule } from '../airquality/pipelines/schedule.js';
import { projectRoot } from '../core/data-dir.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

export type Trigger = 'schedule' | 'start';

/** How a scheduled run happens: `airq run` as a child process by default; tests may pass another. */
export type RunOnce = (trigger: Trigger) => Promise<{ code: number; output: string }>;

/** Timers and now: the system's, or a test's fake. */
export interface Timers {
  now(): Date;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  now: () => new Date(),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface SchedulerOptions {
  storeDir: string;
  /** Minutes after local midnight (06:00 = 360). */
  runAt: number;
  runAtText: string;
  /** The places' time zones, read before each scheduling (places come and go). */
  zones(): Promise<string[]>;
  /** True when `airq run` would bring something new. */
  isStale(): Promise<boolean>;
  runOnce: RunOnce;
  timers?: Timers;
  log: Logger;
}

/** `airq run --trigger T` in a child process with the serving process's store and --today. */
export function childRun(storeDir: string, today: string | undefined): RunOnce {
  return (trigger) =>
    new Promise((resolve) => {
      // A writer in the way (a long `places add`) is waited for up to an hour rather than skipping a day.
      const args = [
        join(projectRoot(), 'bin', 'airq.js'),
        'run',
        '--store',
        storeDir,
        '--trigger',
        trigger,
        '--wait',
        '3600',
        ...(today ? ['--today', today] : []),
      ];
      const child = spawn(process.execPath, args, { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('error', (e) => resolve({ code: -1, output: errorMessage(e) }));
      child.on('close', (code) => resolve({ code: code ?? -1, output }));
    });
}

export class Scheduler {
  private timer: unknown;
  private running: Promise<void> | undefined;
  private nextRun: Date | undefined;
  private stopped = false;
  private readonly timers: Timers;

  constructor(private readonly o: SchedulerOptions) {
    this.timers = o.timers ?? systemTimers;
  }

  /** Runs now if the store is stale, then at every HH:MM. */
  async start(): Promise<void> {
    await this.scheduleNext();
    if (await this.o.isStale().catch(() => false)) {
      this.o.log.info('the store is stale: running `airq run` now (the page stays up)');
      void this.run('start');
    }
  }

  /** The run in progress, if any (tests wait on it). */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** Sets the timer for the next HH:MM. Never throws: a schedule that cannot be written is logged, not fatal to the server. */
  private async scheduleNext(): Promise<void> {
    try {
      const zones = await this.o.zones().catch(() => ['UTC']);
      if (this.stopped) return;
      const next = nextRunAt(this.timers.now(), this.o.runAt, zones);
      if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
      this.timer = this.timers.setTimeout(() => this.fire(), next.getTime() - this.timers.now().getTime());
      this.nextRun = next;
      this.writeFile();
      this.o.log.info(
        `next \`airq run\` at ${next.toISOString().replace('T', ' ').slice(0, 16)} UTC (${this.o.runAtText} in ${zones.length > 0 ? zones.join(', ') : 'UTC'})`,
      );
    } catch (e) {
      this.o.log.warn(`cannot schedule the next \`airq run\`: ${errorMessage(e)}`);
    }
  }

  /** The timer went off: run (or join the run in progress), then set the next timer whatever happened. */
  private fire(): void {
    this.timer = undefined;
    void this.run('schedule').finally(() => this.scheduleNext());
  }

  private writeFile(): void {
    if (this.stopped || !this.nextRun) return;
    try {
      writeSchedule(this.o.storeDir, { pid: process.pid, run_at: this.o.runAtText, next_run: this.nextRun.toISOString(), running: this.running !== undefined });
    } catch (e) {
      this.o.log.warn(`cannot write ${this.o.storeDir}/schedule.json: ${errorMessage(e)}`);
    }
  }

  private run(trigger: Trigger): Promise<void> {
    if (this.running) return this.running; // one at a time; a second reason to run joins the first
    this.running = (async () => {
      const r = await this.o.runOnce(trigger).catch((e: unknown) => ({ code: -1, output: errorMessage(e) }));
      const last = r.output.trim().split('\n').at(-1) ?? '';
      if (r.code === 0) this.o.log.info(`\`airq run\` (${trigger}) finished: ${last}`);
      else this.o.log.warn(`\`airq run\` (${trigger}) failed with exit ${r.code}: ${last}`);
    })().finally(() => {
      this.running = undefined;
      this.writeFile();
    });
    this.writeFile();
    return this.running;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    clearSchedule(this.o.storeDir);
  }
}
