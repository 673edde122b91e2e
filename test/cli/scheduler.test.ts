// airq serve's schedule: the next HH:MM across zones and DST, runs at the set time and at start when stale (fake clock),
// and a real `airq serve` that brings a stale store up to date in a child process while its page keeps answering.
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { nextRunAt, parseRunAt, readSchedule } from '../../src/airquality/pipelines/schedule.js';
import { Scheduler, type SchedulerOptions, type Timers, type Trigger } from '../../src/cli/scheduler.js';
import { silentLogger } from '../../src/core/logger.js';
import { airq, lastJson } from '../helpers/cli.js';
import { eventually, startChild, type Child } from '../helpers/child.js';
import { fakeProviders } from '../helpers/providers.js';

const BIN = join(__dirname, '..', '..', 'bin', 'airq.js');

describe('the next run', () => {
  it('is the next HH:MM in any of the zones, right across a change to summer time', () => {
    expect(parseRunAt('06:00')).toBe(360);
    expect([parseRunAt('6:00'), parseRunAt('24:00'), parseRunAt('06:60')]).toEqual([undefined, undefined, undefined]);
    // Berlin moves to CEST on 2024-03-31: 06:00 local is 05:00Z the day before and 04:00Z that day.
    expect(nextRunAt(new Date('2024-03-30T12:00:00Z'), 360, ['Europe/Berlin']).toISOString()).toBe('2024-03-31T04:00:00.000Z');
    expect(nextRunAt(new Date('2024-03-30T04:30:00Z'), 360, ['Europe/Berlin']).toISOString()).toBe('2024-03-30T05:00:00.000Z');
    // Two zones: whichever reaches 06:00 first.
    expect(nextRunAt(new Date('2024-06-01T07:00:00Z'), 360, ['Europe/Berlin', 'America/New_York']).toISOString()).toBe('2024-06-01T10:00:00.000Z');
  });
});

/** A clock that moves only when told, firing the timers it passes. */
function fakeTimers(start: string): Timers & { advanceTo(iso: string): void; pending(): number } {
  let now = new Date(start).getTime();
  const timers = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  return {
    now: () => new Date(now),
    setTimeout: (fn, ms) => {
      timers.set(next, { at: now + ms, fn });
      return next++;
    },
    clearTimeout: (h) => void timers.delete(h as number),
    advanceTo(iso) {
      now = new Date(iso).getTime();
      for (const [id, t] of [...timers]) {
        if (t.at > now) continue;
        timers.delete(id);
        t.fn();
      }
    },
    pending: () => timers.size,
  };
}

describe('the scheduler, on a fake clock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'airq-schedule-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A scheduler at 06:00 over this test's directory, with what each test varies. */
  const scheduler = (o: Pick<SchedulerOptions, 'zones' | 'isStale' | 'runOnce' | 'timers'>) =>
    new Scheduler({ storeDir: dir, runAt: 360, runAtText: '06:00', log: silentLogger, ...o });

  it('runs at start when the store is stale, then at 06:00 each day, and says when next', async () => {
    const timers = fakeTimers('2024-06-01T12:00:00Z');
    const runs: Trigger[] = [];
    const s = scheduler({
      zones: async () => ['Europe/Berlin'],
      isStale: async () => runs.length === 0,
      runOnce: async (t) => (runs.push(t), { code: 0, output: 'the store is up to date' }),
      timers,
    });
    await s.start();
    await s.idle();
    expect(runs).toEqual(['start']);
    expect(readSchedule(dir)).toMatchObject({ pid: process.pid, run_at: '06:00', next_run: '2024-06-02T04:00:00.000Z' });
    timers.advanceTo('2024-06-02T03:59:00Z');
    expect(runs).toEqual(['start']);
    timers.advanceTo('2024-06-02T04:00:00Z');
    await s.idle();
    expect(runs).toEqual(['start', 'schedule']);
    await eventually(() => expect(readSchedule(dir)?.next_run).toBe('2024-06-03T04:00:00.000Z'));
    expect(timers.pending()).toBe(1);
    s.stop();
    expect(readSchedule(dir)).toBeUndefined();
  });

  it('keeps its schedule when 06:00 comes while the start run is still going', async () => {
    const timers = fakeTimers('2024-06-02T03:58:00Z');
    let finish: () => void = () => undefined;
    const runs: Trigger[] = [];
    const s = scheduler({
      zones: async () => ['Europe/Berlin'],
      isStale: async () => true,
      runOnce: (t) => {
        runs.push(t);
        return new Promise((resolve) => (finish = () => resolve({ code: 0, output: 'done' })));
      },
      timers,
    });
    await s.start();
    expect(readSchedule(dir)).toMatchObject({ running: true, next_run: '2024-06-02T04:00:00.000Z' });
    timers.advanceTo('2024-06-02T04:00:00Z'); // the timer fires during the start run: it joins it
    finish();
    await s.idle();
    expect(runs).toEqual(['start']);
    await eventually(() => expect(readSchedule(dir)).toMatchObject({ running: false, next_run: '2024-06-03T04:00:00.000Z' }));
    expect(timers.pending()).toBe(1); // tomorrow's run is still scheduled
    s.stop();
  });

  it('does not run at start when the store is fresh', async () => {
    const runs: Trigger[] = [];
    const s = scheduler({
      zones: async () => ['UTC'],
      isStale: async () => false,
      runOnce: async (t) => (runs.push(t), { code: 0, output: '' }),
      timers: fakeTimers('2024-06-01T12:00:00Z'),
    });
    await s.start();
    await s.idle();
    expect(runs).toEqual([]);
    s.stop();
  });
});

describe('airq serve with a stale store', () => {
  it('runs `airq run` at start in a child process; the page answers during the run and serves the new day after', async () => {
    const fake = await fakeProviders();
    const store = join(mkdtempSync(join(tmpdir(), 'airq-serve-run-')), 'store');
    let serve: Child | undefined;
    try {
      const env = { ...fake.env, AIRQ_STORE: store };
      expect((await airq(['places', 'add', 'Testville', '--today', '2024-03-10'], env)).code).toBe(0);
      // Two days later the store is stale: serve brings it to 2024-03-12 by itself.
      serve = startChild([BIN, 'serve', '--store', store, '--port', '0', '--today', '2024-03-12'], fake.env);
      await serve.waitFor('http://');
      const base = /http:\/\/[^\s]+/.exec(serve.output())![0];
      // While the child writes, the page answers (from the snapshot it has).
      await eventually(() => expect(readSchedule(store)?.running).toBe(true), 30_000, 20);
      const during = await fetch(`${base}/status`);
      expect([during.status, await during.text()]).toEqual([200, expect.stringContaining('testville')]);
      await eventually(async () => {
        const status = lastJson(await airq(['status', '--json', '--today', '2024-03-12'], env));
        expect(status.last_run).toMatchObject({ trigger: 'start', today: '2024-03-12', status: 'ok' });
        expect(status.next_run).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00.000Z$/);
      }, 90_000);
      const page = await eventually(async () => {
        const text = await (await fetch(`${base}/api/locations/testville/forecast`)).text();
        expect(text).toContain('"issue_date":"2024-03-12"');
        return text;
      }, 30_000);
      expect(page).toContain('testville');
      expect(serve.output()).toMatch(/the store is stale: running `airq run` now/);
    } finally {
      // The server writes its schedule file until it exits: stop it before removing the store.
      serve?.proc.kill();
      await serve?.exited;
      await fake.close();
      rmSync(join(store, '..'), { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    }
  }, 150_000);
});
