// Disk full (a tmpfs in a private mount namespace): the command ends in one DiskFullError line, leaves no half-written snapshot, the store stays consistent and a re-run with room completes.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticStore } from '../helpers/stores.js';
import { harness, type Harness } from './bases.js';
import { COMMANDS } from './commands.js';
import { afterFull, DISK_FULL_LINE, runWithRoom, tmpfsUnavailable } from './disk-full.js';

const command = (name: string) => COMMANDS.find((c) => c.name === name)!;
let h: Harness;
let why: string | undefined;

beforeAll(async () => {
  h = await harness({ synthetic: syntheticStore() });
  why = tmpfsUnavailable(join(h.root, 'probe'));
  if (why) console.error(`SKIPPING the disk-full cases: ${why} (they need a tmpfs in a private mount namespace)`);
}, 60_000);
afterAll(() => h?.close());

describe('disk full', () => {
  it('while writing rows: the error names the store file, ENOSPC, that nothing committed was lost, and what to do', async (ctx) => {
    if (why) return ctx.skip();
    const cmd = command('pipeline backfill');
    const run = runWithRoom(h, cmd, await h.fresh(cmd), 0.25, 1);
    expect(run.rc).toBe(1);
    const last = run.stderr.trim().split('\n').at(-1)!;
    expect(last).toMatch(DISK_FULL_LINE);
    expect(last).toContain(`the disk holding ${join(h.root, 'disk-1', 'mnt', 'store', 'store.duckdb')} is full`);
    expect(run.stderr).not.toMatch(/FATAL Error|invalidated|CHECKPOINT during DETACH/);
    const after = await afterFull(h, cmd, run);
    expect(after.problems).toEqual([]);
  });

  it('while copying the store into a read snapshot: the half-written copy is removed and the store keeps every commit', async (ctx) => {
    if (why) return ctx.skip();
    const cmd = command('pipeline daily');
    // No snapshot and room for less than a copy of the database: the writer's first publish runs out.
    const noSnapshots = (base: string) => rmSync(join(base, 'read'), { recursive: true, force: true });
    const run = runWithRoom(h, cmd, await h.fresh(cmd), 1, 2, noSnapshots);
    expect(run.rc).toBe(1);
    const last = run.stderr.trim().split('\n').at(-1)!;
    expect(last).toMatch(DISK_FULL_LINE);
    expect(last).toContain('while copying it into a read snapshot; nothing committed was lost: every commit is in the store');
    const after = await afterFull(h, cmd, run); // includes: no read/.tmp-* or read/CURRENT.tmp left
    expect(after.problems).toEqual([]);
  });
});
