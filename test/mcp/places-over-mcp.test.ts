// A place added by a user, asked about through MCP: status tool and resource, history labelled as model values,
// forecast, similar days and explain for it; the opt-in add_place tool with progress; `airq ask` about it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedMoments } from '../../src/airquality/services/moment.js';
import { silentLogger } from '../../src/core/logger.js';
import { HashingEmbedder } from '../../src/embed/hashing.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { FeatureStore } from '../../src/store/index.js';
import { airq } from '../helpers/cli.js';
import { fakeProviders, type FakeProviders } from '../helpers/providers.js';

const DAY = '2024-03-10';
let fake: FakeProviders;
let root: string;
let storeDir: string;
const saved = { ...process.env };

beforeAll(async () => {
  fake = await fakeProviders({ aqicnToday: DAY });
  Object.assign(process.env, fake.env); // add_place reads the providers from the environment, as `airq mcp` does
  root = mkdtempSync(join(tmpdir(), 'airq-mcp-places-'));
  storeDir = join(root, 'store');
  const r = await airq(['places', 'add', 'Testville', '--today', DAY, '--store', storeDir], fake.env);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  for (const k of Object.keys(fake.env)) if (saved[k] === undefined) delete process.env[k];
  await fake.close();
  rmSync(root, { recursive: true, force: true });
});

async function connect(allowWrites = false) {
  const store = await FeatureStore.open({ dir: storeDir, readOnly: true });
  const server = createMcpServer({
    version: 'test',
    log: silentLogger,
    moments: fixedMoments(store, () => DAY),
    embedder: async () => new HashingEmbedder(),
    allowWrites,
  });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const client = new Client({ name: 'airq-test', version: '1' });
  await client.connect(b);
  type Result = { isError?: boolean; structuredContent?: Record<string, unknown>; content: { text: string }[] };
  return {
    client,
    call: (name: string, args: Record<string, unknown>, options?: Parameters<Client['callTool']>[1]) =>
      client.callTool({ name, arguments: args }, options) as Promise<Result>,
    close: async () => {
      await client.close();
      await store.close();
    },
  };
}

describe('an added place over MCP', () => {
  it('get_data_status and airq://status say how fresh each place is', async () => {
    const c = await connect();
    const status = (await c.call('get_data_status', {})).structuredContent!;
    expect(status).toMatchObject({ today: DAY, source: 'live', stale: false, model: { name: 'pm25_forecaster', trained_through: DAY } });
    expect(status.places).toEqual([
      expect.objectContaining({
        id: 'testville',
        last_observation: DAY,
        forecast_issued: DAY,
        forecast_until: '2024-03-17',
        stale: [],
        data: expect.stringMatching(/CAMS model values/),
      }),
    ]);
    const resource = await c.client.readResource({ uri: 'airq://status' });
    expect(JSON.parse((resource.contents[0] as { text: string }).text)).toMatchObject({ today: DAY, places: [expect.objectContaining({ id: 'testville' })] });
    expect((await c.client.listTools()).tools.map((t) => t.name)).not.toContain('add_place'); // off by default
    await c.close();
  });

  it('answers history (labelled model values), forecast, similar days and explain for it', async () => {
    const c = await connect();
    const history = await c.call('get_air_quality_history', { location: 'Testville', start_date: '2024-03-01', end_date: DAY });
    expect(history.isError).toBeFalsy();
    const days = history.structuredContent!.days as { kind: string }[];
    expect(days).toHaveLength(10);
    expect(new Set(days.map((d) => d.kind))).toEqual(new Set(['model']));
    expect(history.structuredContent!.data_age).toBeNull();
    const forecast = await c.call('get_air_quality_forecast', { location: 'testville' });
    expect((forecast.structuredContent!.days as unknown[]).length).toBe(7);
    const similar = await c.call('find_similar_days', { location: 'testville', date: '2024-03-09', k: 3 });
    expect(similar.isError, similar.content[0]!.text).toBeFalsy();
    const explain = await c.call('explain_forecast', { location: 'testville', date: '2024-03-11' });
    expect(explain.isError, explain.content[0]!.text).toBeFalsy();
    await c.close();
  });

  it('says how old the data is when the store was not updated', async () => {
    const store = await FeatureStore.open({ dir: storeDir, readOnly: true });
    const server = createMcpServer({
      version: 'test',
      log: silentLogger,
      moments: fixedMoments(store, () => '2024-03-13'),
      embedder: async () => new HashingEmbedder(),
    });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(a);
    const client = new Client({ name: 'airq-test', version: '1' });
    await client.connect(b);
    const history = (
      await client.callTool({ name: 'get_air_quality_history', arguments: { location: 'testville', start_date: '2024-03-07', end_date: '2024-03-13' } })
    ).structuredContent as Record<string, unknown>;
    expect(history.data_age).toBe('the newest observation here is from 2024-03-10, 3 days before today (2024-03-13); the data has not been updated since');
    const status = (await client.callTool({ name: 'get_data_status', arguments: {} })).structuredContent as { stale: boolean; places: { stale: string[] }[] };
    expect(status.stale).toBe(true);
    expect(status.places[0]!.stale).toEqual(['the last observation is from 2024-03-10, 3 days before today', 'the forecast was issued 2024-03-10, 3 days ago']);
    await client.close();
    await store.close();
  });

  it('airq ask answers about it', async () => {
    const r = await airq(['ask', 'Will the air be OK tomorrow in Testville?', '--today', DAY, '--store', storeDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Testville, \w+ 2024-03-11: PM2\.5 forecast [\d.]+ µg\/m³/);
    const fresh = await airq(['ask', 'How fresh is the data?', '--today', '2024-03-12', '--store', storeDir]);
    expect(fresh.stdout).toMatch(/The data is as of 2024-03-12 in this store; some of it is out of date\./);
    expect(fresh.stdout).toMatch(
      /Testville: last observation 2024-03-10; forecast issued 2024-03-10, reaching 2024-03-17 \(the last observation is from 2024-03-10, 2 days before today/,
    );
  });
});

describe('add_place (opt-in)', () => {
  it('adds a place named in a conversation, with progress, and the server serves it on the next call', async () => {
    const c = await connect(true);
    const tool = (await c.client.listTools()).tools.find((t) => t.name === 'add_place')!;
    expect(tool.annotations).toMatchObject({ readOnlyHint: false, openWorldHint: true });
    const ambiguous = await c.call('add_place', { name: 'Springfield' });
    expect(ambiguous.isError).toBe(true);
    expect(ambiguous.content[0]!.text).toMatch(/3 places are called "Springfield".*Choose one with pick N/);
    const progress: string[] = [];
    const r = await c.call('add_place', { name: 'Springfield', pick: 1 }, { onprogress: (p) => void progress.push(p.message ?? ''), timeout: 120_000 });
    expect(r.isError, r.content[0]?.text).toBeFalsy();
    // The server's today, not the real date: the new place's history ends on it, and the other place stays where it was.
    expect(r.structuredContent).toMatchObject({
      location: { location_id: 'springfield', timezone: 'America/Chicago' },
      history_days: 366,
      history_until: DAY,
      failed: [],
    });
    expect(progress).toEqual(
      expect.arrayContaining([expect.stringMatching(/looking up Springfield/), expect.stringMatching(/fetching a year of history/), 'done']),
    );
    await c.close();
    const after = await connect();
    const list = (await after.call('list_locations', {})).structuredContent!.locations as { location_id: string }[];
    expect(list.map((l) => l.location_id)).toEqual(['springfield', 'testville']);
    const status = (await after.call('get_data_status', {})).structuredContent as {
      places: { id: string; last_observation: string; forecast_issued: string }[];
    };
    expect(status.places.map((p) => [p.id, p.last_observation, p.forecast_issued])).toEqual([
      ['springfield', DAY, DAY],
      ['testville', DAY, DAY],
    ]);
    await after.close();
  }, 120_000);
});
