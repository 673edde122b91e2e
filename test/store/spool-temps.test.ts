// Queue files a killed reader left half-written (spool/*.json.tmp): the next writer removes them, readers and live writers' files are left alone.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FeatureStore } from '../../src/store/index.js';
import { tempDir } from '../helpers/tmp.js';

const live: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const c of live.splice(0)) c.kill('SIGKILL');
});

/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;

describe('half-written queue files', () => {
  it('the next writer removes those of killed processes; a reader does not, and a running process keeps its own', async () => {
    const dir = tempDir();
    const setup = await FeatureStore.open({ dir });
    await setup.close();
    const spool = join(dir, 'spool');
    mkdirSync(spool, { recursive: true });
    const running = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    live.push(running);
    const killed = `000001700000000-${deadPid()}-deadbeef.json.tmp`;
    const writing = `000001700000001-${running.pid}-cafecafe.json.tmp`;
    const ancient = `000001700000002-${running.pid}-0ld0ld00.json.tmp`;
    writeFileSync(join(spool, killed), '{"format":"airq-spool-1","group":{"name":"notes"');
    writeFileSync(join(spool, writing), '{"format":"airq-spool-1"');
    writeFileSync(join(spool, ancient), '{"format"');
    // Two hours old: its pid was reused by the running process.
    const then = new Date(Date.now() - 2 * 3600_000);
    utimesSync(join(spool, ancient), then, then);

    const reader = await FeatureStore.open({ dir, readOnly: true });
    await reader.close();
    expect(readdirSync(spool).sort()).toEqual([killed, writing, ancient].sort());

    const writer = await FeatureStore.open({ dir });
    expect(writer.listFeatureGroups().map((g) => g.name)).not.toContain('notes');
    await writer.close();
    expect(readdirSync(spool)).toEqual([writing]);
  });
});
