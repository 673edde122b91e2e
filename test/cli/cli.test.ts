// The airq command: help from one table (without loading native modules), exit codes, one-line errors, `fg list|show|read`, and `bench` printing JSON last.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { FeatureStore } from '../../src/store/index.js';
import { airq, lastJson } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const BIN = join(__dirname, '..', '..', 'bin', 'airq.js');

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
  it('prints help for airq and every command from one table, without loading any native module', async () => {
    for (const c of COMMANDS) {
      for (const flag of ['--help', '-h']) {
        const r = await airq([c.name, flag]);
        expect([c.name, flag, r.code, r.stderr]).toEqual([c.name, flag, 0, '']);
        expect(r.stdout).toContain(`airq ${c.name}`);
        expect(r.stdout).toContain('--wait SECONDS');
        // Fits a 100-column terminal; only a single unbreakable token may run longer.
        expect(r.stdout.split('\n').filter((l) => l.length > 100 && l.trim().includes(' '))).toEqual([]);
      }
    }
    expect((await airq(['pipeline', 'daily', '--help'])).stdout).toBe((await airq(['help', 'pipeline'])).stdout);
    // As a separate process that cannot load hnswlib, DuckDB, transformers, resvg or openai: help needs none of them.
    const noNative = ['--import', join(__dirname, 'fixtures', 'no-native.mjs')];
    const top = spawnSync(process.execPath, [...noNative, BIN, '--help'], { encoding: 'utf8' });
    expect([top.status, top.stderr]).toEqual([0, '']);
    for (const c of COMMANDS) expect(top.stdout).toContain(`  ${c.name} `);
    for (const args of [['fg', '-h'], ['pipeline', '--help'], ['mcp', '--help'], ['--version']]) {
      const r = spawnSync(process.execPath, [...noNative, BIN, ...args], { encoding: 'utf8' });
      expect([args, r.status, r.stderr]).toEqual([args, 0, '']);
    }
    // The fixture does stop what it should: a command that opens a store, and a CommonJS require of DuckDB's API.
    const loadsNative = spawnSync(process.execPath, [...noNative, BIN, 'fg', 'list', '--store', tempDir()], { encoding: 'utf8' });
    expect(loadsNative.stderr).toMatch(/(hnswlib-node|@duckdb\/node-api) must not be loaded here/);
    const requires = spawnSync(process.execPath, [...noNative, '-e', "require('@duckdb/node-api')"], { encoding: 'utf8', cwd: join(__dirname, '..', '..') });
    expect(requires.stderr).toMatch(/@duckdb\/node-api must not be loaded here/);
  });

  it('lists in bench --help exactly the benchmarks it can run', async () => {
    const help = await airq(['bench', '--help']);
    const listed = [...help.stdout.split('Global options')[0]!.matchAll(/^ {2}(\S+) /gm)].map((m) => m[1]);
    const r = await airq(['bench', 'nope']);
    expect(r.code).toBe(2);
    const runnable = /available: (.*)$/m.exec(r.stderr)![1]!.split(', ');
    expect(listed.sort()).toEqual(runnable.sort());
  });

  it('exits 2 with one line on stderr for bad usage, 1 for failures', async () => {
    const unknown = await airq(['frobnicate']);
    expect([unknown.code, unknown.stderr]).toEqual([2, 'airq: unknown command "frobnicate"; run `airq --help` for the list\n']);
    const badOption = await airq(['fg', 'list', '--bogus']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/Unknown option '--bogus'/);
    const noStore = await airq(['fg', 'list', '--store', '/nonexistent/airq-store']);
    expect(noStore.code).toBe(1);
    expect(noStore.stderr.trim().split('\n')).toHaveLength(1);
    expect(noStore.stderr).toMatch(/no airq store in \/nonexistent\/airq-store/);
    for (const wait of ['-1', 'soon', '1.5', '100000']) {
      const r = await airq(['pipeline', 'daily', '--wait', wait, '--store', tempDir()]);
      expect([wait, r.code, r.stderr]).toEqual([wait, 2, 'airq: --wait: must be a whole number of seconds from 0 to 86400\n']);
    }
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'not a store');
    const notDir = await airq(['pipeline', 'daily', '--store', file]);
    expect([notDir.code, notDir.stderr]).toEqual([1, `airq: the store ${file} is a file, not a directory; point --store at a directory\n`]);
    const damaged = tempDir();
    writeFileSync(join(damaged, 'store.duckdb'), 'garbage');
    const bad = await airq(['fg', 'list', '--store', damaged]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^airq: .*store\.duckdb is not an airq store \(not a DuckDB database file\)/);
    expect(readFileSync(join(damaged, 'store.duckdb'), 'utf8')).toBe('garbage');
    // A mistyped --store is not a new empty store: commands that need one say so and create nothing.
    const typo = join(tempDir(), 'typo');
    for (const command of [['forecast'], ['train'], ['embed'], ['backtest', '--test-start', '2024-01-01']]) {
      const r = await airq([...command, '--store', typo]);
      expect([command[0], r.code, r.stderr]).toEqual([
        command[0],
        1,
        `airq: there is no airq store in ${typo}; make one with \`airq demo\`, or point --store (or AIRQ_STORE) at one\n`,
      ]);
    }
    // One that makes stores, failing on bad input, leaves nothing behind either.
    const demo = await airq(['demo', '--source', 'beijing', '--path', join(tempDir(), 'no-such-data'), '--store', typo]);
    expect(demo.code).not.toBe(0);
    expect(existsSync(typo)).toBe(false);
  });

  it('refuses to serve beyond this machine without a token unless told to, before opening anything', async () => {
    const store = join(tempDir(), 'none');
    for (const [argv, tokenVar] of [
      [['serve', '--host', '0.0.0.0'], 'AIRQ_SERVE_TOKEN'],
      [['mcp', '--http', '--host', '::'], 'AIRQ_MCP_TOKEN'],
    ] as const) {
      const r = await airq([...argv, '--port', '0', '--store', store], { AIRQ_SERVE_TOKEN: undefined, AIRQ_MCP_TOKEN: undefined });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`would serve everyone who can reach this machine, with no token: set ${tokenVar}, or pass --allow-unauthenticated`));
      expect(existsSync(store)).toBe(false);
    }
    const misplaced = await airq(['mcp', '--allow-unauthenticated', '--store', store]);
    expect([misplaced.code, misplaced.stderr]).toEqual([2, 'airq: mcp: --port, --host, --cors-origin and --allow-unauthenticated go with --http\n']);
  });

  it('prints untrusted input in its messages escaped and bounded: no terminal codes, no extra lines, no megabytes', async () => {
    const escape = await airq(['bad\u001b[31mname\nline']);
    // The message's first line only, its escape code written out.
    expect([escape.code, escape.stderr]).toEqual([2, 'airq: unknown command "bad\\u001b[31mname\n']);
    const long = await airq(['x'.repeat(1_000_000)]);
    expect(long.code).toBe(2);
    expect(long.stderr.length).toBeLessThan(1_100);
    expect(long.stderr).toMatch(/… \(\d+ characters\)\n$/);
  });

  it('takes no name of Object.prototype for a benchmark', async () => {
    for (const name of ['constructor', 'toString', '__proto__']) {
      const r = await airq(['bench', name]);
      expect([name, r.code, r.stderr]).toEqual([name, 2, expect.stringMatching(/^airq: bench: unknown benchmark/)]);
    }
  });

  it('takes the global options before the command too', async () => {
    const dir = await storeWithOneGroup();
    const r = await airq(['--store', dir, '--wait=5', 'fg', 'list', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson(r).feature_groups).toHaveLength(1);
    expect(await airq(['--store'])).toMatchObject({ code: 2, stderr: 'airq: --store needs a value\n' });
  });

  it('fg list, show and read describe a store, as tables or JSON', async () => {
    const dir = await storeWithOneGroup();
    const list = lastJson(await airq(['fg', 'list', '--json', '--store', dir]));
    expect(list.feature_groups).toEqual([
      { name: 'air', version: 1, rows: 2, primary_key: 'loc', event_time: 'date', online: true, description: 'daily PM2.5' },
    ]);
    const show = await airq(['fg', 'show', 'air', '--store', dir]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/pm25\s+float\s+0\s+12\.5\s+40/);
    expect(show.stdout).toMatch(/pm25 between 0 and 1000/);
    expect(show.stdout).toMatch(/1\s+\S+\s+insert\s+2\s+0\s+0\s+passed/);
    const shown = lastJson(await airq(['fg', 'show', 'air', '--json', '--store', dir]));
    expect((shown.statistics as { rowCount: number }).rowCount).toBe(2);
    const read = lastJson(await airq(['fg', 'read', 'air', '--limit', '1', '--json'], { AIRQ_STORE: dir }));
    expect(read.rows).toEqual([{ loc: 'a', date: '2024-01-01', pm25: 12.5 }]);
    const missing = await airq(['fg', 'show', 'nope', '--store', dir]);
    expect([missing.code, missing.stderr]).toEqual([1, 'airq: no feature group named "nope"; the store has: air\n']);
    // Found by test/fuzz/cli-args.test.ts: these said "Invalid input: expected number, received NaN".
    const many = await airq(['fg', 'read', 'air', '--limit', 'many', '--store', dir]);
    expect([many.code, many.stderr]).toEqual([2, 'airq: --limit: must be a whole number of rows from 0 to 1000000\n']);
    const version = await airq(['fg', 'show', 'air', '--version', 'show', '--store', dir]);
    expect([version.code, version.stderr]).toEqual([2, 'airq: --version: must be a version number from 1 to 100000\n']);
  });

  it('bench online prints its result as JSON on the last line', async () => {
    const r = await airq(['bench', 'online', '--json']);
    expect(r.code).toBe(0);
    const result = lastJson(r);
    expect(result).toMatchObject({ bench: 'online', keys: 100_000 });
    expect(result.p99_us).toBeGreaterThan(0);
  });
});
