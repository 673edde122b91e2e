// The airq command: help, exit codes, one-line errors, `fg list|show|read`, and `bench` printing JSON last.
import { describe, expect, it } from 'vitest';
import { FeatureStore } from '../../src/store/index.js';
import { lastJson, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

async function storeWithOneGroup(): Promise<string> {
  const dir = tempDir();
  const store = await FeatureStore.open({ dir });
  const fg = await store.getOrCreateFeatureGroup({
    name: 'air',
    description: 'daily PM2.5',
    primaryKey: 'loc',
    eventTime: 'date',
    onlineEnabled: true,
    schema: [
      { name: 'loc', type: 'string' },
      { name: 'date', type: 'date' },
      { name: 'pm25', type: 'float', description: 'µg/m³' },
    ],
    expectations: { expectations: [{ kind: 'valuesBetween', column: 'pm25', min: 0, max: 1000 }] },
  });
  await fg.insert([
    { loc: 'a', date: '2024-01-01', pm25: 12.5 },
    { loc: 'b', date: '2024-01-01', pm25: 40 },
  ]);
  await store.close();
  return dir;
}

describe('airq', () => {
  it('prints help and its version', () => {
    const help = runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/fg list\|show\|read/);
    expect(runCli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exits 2 with one line on stderr for bad usage, 1 for failures', () => {
    const unknown = runCli(['frobnicate']);
    expect([unknown.code, unknown.stderr]).toEqual([2, 'airq: unknown command "frobnicate"; run `airq --help` for the list\n']);
    const badOption = runCli(['fg', 'list', '--bogus']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/Unknown option '--bogus'/);
    const noStore = runCli(['fg', 'list', '--store', '/nonexistent/airq-store']);
    expect(noStore.code).toBe(1);
    expect(noStore.stderr.trim().split('\n')).toHaveLength(1);
    expect(noStore.stderr).toMatch(/no airq store in \/nonexistent\/airq-store/);
  });

  it('fg list, show and read describe a store, as tables or JSON', async () => {
    const dir = await storeWithOneGroup();
    const list = lastJson(runCli(['fg', 'list', '--json', '--store', dir]));
    expect(list.feature_groups).toEqual([
      { name: 'air', version: 1, rows: 2, primary_key: 'loc', event_time: 'date', online: true, description: 'daily PM2.5' },
    ]);
    const show = runCli(['fg', 'show', 'air', '--store', dir]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/pm25\s+float\s+0\s+12\.5\s+40/);
    expect(show.stdout).toMatch(/pm25 between 0 and 1000/);
    expect(show.stdout).toMatch(/1\s+\S+\s+insert\s+2\s+0\s+0\s+passed/);
    const shown = lastJson(runCli(['fg', 'show', 'air', '--json', '--store', dir]));
    expect((shown.statistics as { rowCount: number }).rowCount).toBe(2);
    const read = lastJson(runCli(['fg', 'read', 'air', '--limit', '1', '--json'], { AIRQ_STORE: dir }));
    expect(read.rows).toEqual([{ loc: 'a', date: '2024-01-01', pm25: 12.5 }]);
    const missing = runCli(['fg', 'show', 'nope', '--store', dir]);
    expect([missing.code, missing.stderr]).toEqual([1, 'airq: no feature group named "nope"; the store has: air\n']);
    expect(runCli(['fg', 'read', 'air', '--limit', 'many', '--store', dir]).code).toBe(2);
  });

  it('bench online prints its result as JSON on the last line', () => {
    const r = runCli(['bench', 'online', '--json']);
    expect(r.code).toBe(0);
    const result = lastJson(r);
    expect(result).toMatchObject({ bench: 'online', keys: 100_000 });
    expect(result.p99_us).toBeGreaterThan(0);
    expect(runCli(['bench', 'nope']).code).toBe(2);
  });
});
