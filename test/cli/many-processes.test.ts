// One store, many processes, as users run them: an MCP client and the web page stay up while pipelines write in other processes.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, describe, expect, it } from 'vitest';
import { col, FeatureStore } from '../../src/store/index.js';
import { eventually, startChild, type Child } from '../helpers/child.js';
import { lastJson, runCliAsync } from '../helpers/cli.js';
import { beijingStore, copyStore } from '../helpers/stores.js';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'airq.js');
const HOLDER = join(ROOT, 'test', 'store', 'fixtures', 'writer-process.ts');
const built = beijingStore();

const children: Child[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.proc.kill('SIGKILL');
});

type Forecast = { today: string; days: { date: string; issue_date: string }[] };

async function mcpForecast(client: Client): Promise<Forecast> {
  const r = (await client.callTool({ name: 'get_air_quality_forecast', arguments: { location: 'Dongsi' } })) as {
    structuredContent: Forecast;
    isError?: boolean;
  };
  expect(r.isError).toBeFalsy();
  return r.structuredContent;
}

type Served = { snapshot: { name: string; commit: number } };
const DONGSI = { entities: [{ location_id: 'beijing-dongsi' }] };

/** The feature server of `airq serve`: Dongsi's pm25_state vector, and the snapshot /health says it serves. */
async function served(base: string): Promise<{ vector: Record<string, number>; store: Served }> {
  const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DONGSI) };
  const r = (await (await fetch(`${base}/features/pm25_state/1`, init)).json()) as { results: { status: string; vector: Record<string, number> }[] };
  expect(r.results[0]!.status).toBe('found');
  const health = (await (await fetch(`${base}/health`)).json()) as { status: string; store: Served };
  expect(health.status).toBe('ok');
  return { vector: r.results[0]!.vector, store: health.store };
}

/** What the library gives for Dongsi on the store's newest snapshot. */
async function libraryVector(dir: string): Promise<unknown> {
  const store = await FeatureStore.open({ dir, readOnly: true });
  try {
    return JSON.parse(JSON.stringify(await store.getFeatureView('pm25_state', 1).getFeatureVector(DONGSI.entities[0]!)));
  } finally {
    await store.close();
  }
}

async function webForecast(base: string): Promise<Forecast> {
  const res = await fetch(`${base}/api/locations/beijing-dongsi/forecast`);
  expect(res.status).toBe(200);
  return (await res.json()) as Forecast;
}

describe.skipIf(!built)('one store shared by an MCP session, the web page and pipelines in other processes', () => {
  it('the MCP session and the page serve the next day after `airq pipeline daily` and `airq forecast` ran beside them, without a restart', async () => {
    const store = copyStore(built!);
    const client = new Client({ name: 'airq-many-processes', version: '1' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', '--store', store], stderr: 'pipe' }));
    const serve = startChild([BIN, 'serve', '--store', store, '--port', '0']);
    children.push(serve);
    await serve.waitFor('http://');
    const base = /http:\/\/[^\s]+/.exec(serve.output())![0];
    try {
      // The store's own clock: no --today anywhere.
      const similar = (date: string) =>
        client.callTool({ name: 'find_similar_days', arguments: { location: 'Dongsi', date, k: 3 } }) as Promise<{
          isError?: boolean;
          structuredContent?: { day: { date: string } };
        }>;
      expect((await similar('2017-02-22')).isError).toBe(true); // not observed yet
      const before = await mcpForecast(client);
      expect([before.today, before.days[0]!.date, before.days[0]!.issue_date]).toEqual(['2017-02-21', '2017-02-22', '2017-02-21']);
      expect((await webForecast(base)).today).toBe('2017-02-21');
      const featuresBefore = await served(base);
      expect(featuresBefore.vector).toEqual(await libraryVector(store));

      const daily = await runCliAsync(['pipeline', 'daily', '--store', store]);
      expect([daily.code, daily.stderr.split('\n').filter((l) => /warn|error/.test(l))]).toEqual([0, []]);
      expect(daily.stdout).toMatch(/the store's today is 2017-02-22/);
      const forecast = await runCliAsync(['forecast', '--store', store, '--json']);
      expect(forecast.code).toBe(0);
      expect(lastJson(forecast)).toMatchObject({ issue_date: '2017-02-22' });

      // Each server switches to the new snapshot as soon as it has opened it in the background.
      for (const get of [() => mcpForecast(client), () => webForecast(base)]) {
        await eventually(async () => {
          const after = await get();
          expect([after.today, after.days[0]!.date, after.days[0]!.issue_date]).toEqual(['2017-02-22', '2017-02-23', '2017-02-22']);
        });
      }
      const history = (await client.callTool({ name: 'get_air_quality_history', arguments: { location: 'Dongsi', start_date: '2017-02-22' } })) as {
        structuredContent: { days: { date: string; pm25: number | null }[] };
      };
      expect(history.structuredContent.days.map((d) => d.date)).toEqual(['2017-02-22']);
      // The new day's pattern is in the new snapshot's vector index.
      const found = await similar('2017-02-22');
      expect([found.isError, found.structuredContent?.day.date]).toEqual([undefined, '2017-02-22']);
      const page = await (await fetch(`${base}/`)).text();
      expect(page).toContain('today is 2017-02-22');
      // The feature server serves the new commit's vector, the one the library reads from the store now.
      const featuresAfter = await served(base);
      expect(featuresAfter.store.snapshot.commit).toBeGreaterThan(featuresBefore.store.snapshot.commit);
      expect(featuresAfter.vector).not.toEqual(featuresBefore.vector);
      expect(featuresAfter.vector).toEqual(await libraryVector(store));
    } finally {
      await client.close();
    }
  }, 300_000);

  it('a second writer waits, says who holds the store, then fails; `airq ask` answers meanwhile and its trace is stored once the writer finishes', async () => {
    const store = copyStore(built!);
    const holder = startChild(['--import', 'tsx', HOLDER, store]);
    children.push(holder);
    await holder.waitFor('ready');

    const train = await runCliAsync(['train', '--store', store, '--wait', '1']);
    expect(train.code).toBe(1);
    const lines = train.stderr.trim().split('\n');
    expect(lines.some((l) => /is being written by `test writer-process` \(pid \d+, since [\d:]+ UTC\); waiting up to 1 s/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(
      /^airq: the store .* is being written by `test writer-process` \(pid \d+, since [\d:]+ UTC\) and was not free after 1(\.\d)? s; try again when it has finished, or wait longer with --wait SECONDS$/,
    );

    const ask = await runCliAsync(['ask', 'Will the air be OK tomorrow in Dongsi?', '--store', store, '--json']);
    expect(ask.code).toBe(0);
    const answer = lastJson(ask);
    expect(answer.answer).toMatch(/2017-02-22/);
    expect(readdirSync(join(store, 'spool')).filter((f) => f.endsWith('.json'))).toHaveLength(1);

    holder.send('close');
    await holder.waitFor('closed');
    expect(readdirSync(join(store, 'spool')).filter((f) => f.endsWith('.json'))).toHaveLength(0);
    const traces = await eventually(async () => {
      const r = await runCliAsync(['traces', '--id', String(answer.trace_id), '--store', store, '--json']);
      expect(r.stdout).toContain(String(answer.trace_id));
      return r;
    });
    expect(traces.code).toBe(0);
    expect(existsSync(join(store, 'writer.json'))).toBe(false);
  }, 300_000);

  it('a writer whose reader stops early (`airq forecast | head -1`) still finishes: readers get its commits, the store is free', async () => {
    const store = copyStore(built!);
    expect((await runCliAsync(['pipeline', 'daily', '--store', store])).code).toBe(0);
    const child = spawn(process.execPath, [BIN, 'forecast', '--store', store], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(existsSync(join(store, 'writer.json'))).toBe(false);
    const reader = await FeatureStore.open({ dir: store, readOnly: true });
    const issued = await reader.getFeatureGroup('aq_predictions').select(['issue_date']).filter(col('issue_date').eq('2017-02-22')).read();
    await reader.close();
    expect(issued).toHaveLength(60);
  }, 300_000);
});
