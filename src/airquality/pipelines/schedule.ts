// The daily schedule of `airq run`: the next time HH:MM comes round in any of the places' time zones, and the
// schedule file a serving process leaves in the store so that `airq status` can say when the next run is.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const SCHEDULE_FILE = 'schedule.json';

const HhMm = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** "06:00" -> minutes after midnight, or undefined for anything else. */
export function parseRunAt(text: string): number | undefined {
  const m = HhMm.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/** Minutes after local midnight of `at` in `zone`. */
function localMinutes(at: Date, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

/**
 * The first instant after `now` when the local time is `minutes` in one of `zones` (to the minute).
 * Walks minute by minute over at most a day and a half, so it is right across DST changes.
 */
export function nextRunAt(now: Date, minutes: number, zones: readonly string[]): Date {
  const start = Math.floor(now.getTime() / 60_000) * 60_000 + 60_000;
  const list = zones.length > 0 ? zones : ['UTC'];
  for (let t = start; t < start + 36 * 3_600_000; t += 60_000) {
    const at = new Date(t);
    if (list.some((z) => localMinutes(at, z) === minutes)) return at;
  }
  return new Date(start + 24 * 3_600_000);
}

const ScheduleSchema = z.object({ pid: z.number().int(), run_at: z.string(), next_run: z.string(), running: z.boolean().default(false) });
export type ScheduleInfo = z.output<typeof ScheduleSchema>;

export function writeSchedule(storeDir: string, info: ScheduleInfo): void {
  writeFileSync(join(storeDir, SCHEDULE_FILE), `${JSON.stringify(info)}\n`);
}

export function clearSchedule(storeDir: string, pid = process.pid): void {
  const held = readSchedule(storeDir);
  if (held?.pid === pid) rmSync(join(storeDir, SCHEDULE_FILE), { force: true });
}

/** The schedule of a serving process that is still alive, or undefined. */
export function readSchedule(storeDir: string): ScheduleInfo | undefined {
  const file = join(storeDir, SCHEDULE_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const info = ScheduleSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    process.kill(info.pid, 0);
    return info;
  } catch {
    return undefined;
  }
}
