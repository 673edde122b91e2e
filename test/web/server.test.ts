// The web server without a browser: pages and JSON endpoints on a demo store, their validation, and the chat stream from the real agent.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgent } from '../../src/agent/loop.js';
import type { McpTools } from '../../src/agent/mcp-tools.js';
import { BuiltinPlanner } from '../../src/agent/planner/builtin-model.js';
import { silentLogger } from '../../src/core/logger.js';
import { FeatureStore, LiveStore } from '../../src/store/index.js';
import { startWebServer } from '../../src/web/server.js';
import { fixedMoments, momentsOf } from '../../src/airquality/services/moment.js';
import { inProcessTools } from '../helpers/agent-tools.js';
import { beijingStore, copyStoreForFile, removeStoreCopy, syntheticStore } from '../helpers/stores.js';
import { airq } from '../helpers/cli.js';

const TODAY = '2024-06-30';
let dir: string;
let store: FeatureStore;
let tools: McpTools;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = copyStoreForFile(syntheticStore());
  store = await FeatureStore.open({ dir, readOnly: true });
  tools = await inProcessTools(dir, TODAY);
  const model = await BuiltinPlanner.create();
  const web = await startWebServer(
    {
      moments: fixedMoments(store, () => TODAY),
      log: silentLogger,
      agent: { ask: (q, history, events) => runAgent(q, { model, tools, today: TODAY, history, ...events }) },
    },
    0,
    '127.0.0.1',
  );
  server = web.server;
  base = web.url;
}, 60_000);
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await tools?.close();
  await store?.close();
  removeStoreCopy(dir);
});

const get = async (path: string) => {
  const r = await fetch(base + path);
  return { status: r.status, type: r.headers.get('content-type') ?? '', text: await r.text() };
};
const chat = (body: unknown, type = 'application/json') =>
  fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify(body) });

/** The server-sent events of a chat response, in order. */
async function events(r: Response): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const text = await r.text();
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => ({ event: /^event: (.*)$/m.exec(block)![1]!, data: JSON.parse(/^data: (.*)$/m.exec(block)![1]!) }));
}

describe('airq serve', () => {
  it('serves the overview and a location page as HTML, with the forecast chart and its table', async () => {
    const home = await get('/');
    expect(home.status).toBe(200);
    expect(home.type).toContain('text/html');
    expect(home.text).toContain('href="/locations/synthetic-city"');
    expect(home.text).toContain('synthetic (a simulation, not measurements)');
    const page = await get('/locations/synthetic-city');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<svg[^>]+id="forecast-chart" role="img" aria-label="PM2\.5 forecast for Synthetic City[^"]*2024-07-01: \d+\.\d µg\/m³/);
    expect(page.text.match(/<tr><td class="date">2024-07-0\d<\/td><td class="ahead">\d<\/td>/g)).toHaveLength(7);
    expect(page.text).toContain('Recent observations');
    expect(page.text).toContain('Training backtest of pm25_forecaster v1');
    expect(page.text).toMatch(/reading weather forecasts with their usual errors/);
    // Monitoring: the place's window, its alerts (or none), its forecasts against the backtest, and whether its inputs drifted.
    expect(page.text).toMatch(/<h2 id="monitoring-title">Monitoring<\/h2>\n<p>The 30 days 2024-06-01 to 2024-06-30\.<\/p>/);
    // The synthetic city's earlier years are the same simulation: no drift, no alert; no forecast of it is observed yet.
    expect(page.text).toContain('<p>No alert for this place.</p>');
    expect(page.text).toContain("<p>Too few of this place's forecasts have been observed in the window to judge them (0; 14 are needed).</p>");
    expect(page.text).toContain('<p>Its inputs look like the same days of earlier years.</p>');
  });

  it('documents and validates its JSON endpoints', async () => {
    const index = JSON.parse((await get('/api')).text);
    expect(Object.keys(index.endpoints)).toContain('POST /api/chat');
    const list = JSON.parse((await get('/api/locations')).text);
    expect(list.locations[0]).toMatchObject({ location: { location_id: 'synthetic-city' }, data_kind: 'synthetic', tomorrow: { date: '2024-07-01' } });
    const forecast = JSON.parse((await get('/api/locations/Synthetic%20City/forecast')).text);
    expect(forecast.days).toHaveLength(7);
    const history = JSON.parse((await get('/api/locations/synthetic-city/history?days=3')).text);
    expect(history.days.map((d: { date: string }) => d.date)).toEqual(['2024-06-28', '2024-06-29', '2024-06-30']);
    const model = JSON.parse((await get('/api/model')).text);
    expect(model.model).toMatchObject({ name: 'pm25_forecaster', version: 1 });
    expect(model.model.backtest[0]).toMatchObject({ days_ahead: 1 });
    // The accuracy the page states is the one with weather forecasts (the model records both).
    expect(model.model.backtest_weather).toBe('forecast');
    const hind = JSON.parse((await get('/api/locations/synthetic-city/hindcast')).text);
    expect(hind).toMatchObject({ location: { location_id: 'synthetic-city' } });
    expect(Array.isArray(hind.by_days_ahead)).toBe(true);
  });

  it('answers bad requests with a status and a message that says what to do', async () => {
    const days = await get('/api/locations/synthetic-city/history?days=1000');
    expect(days.status).toBe(400);
    expect(JSON.parse(days.text).error).toMatch(/days: .*at most 366 days/);
    const nowhere = await get('/api/locations/atlantis/forecast');
    expect(nowhere.status).toBe(404);
    expect(JSON.parse(nowhere.text).error).toMatch(/no location matches "atlantis"; closest: synthetic-city/);
    expect(nowhere.text).not.toMatch(/list_locations|call |airq /); // the page is for people: no tool names, no commands
    const page = await get('/locations/atlantis');
    expect(page.status).toBe(404);
    expect(page.text).toMatch(/<p class="error" role="alert">no location matches &quot;atlantis&quot;/);
    expect((await get('/nope')).status).toBe(404);
    expect((await get('/locations/%E0%A4%A')).status).toBe(400);
    expect((await get('/api/locations/%E0%A4%A')).text).toMatch(/malformed %-escape/);
    expect((await get('/api/nope')).status).toBe(404);
    expect((await fetch(`${base}/api/locations`, { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(`${base}/api/chat`)).status).toBe(405);
  });

  it('airq serve refuses bad flags and a missing store before listening', async () => {
    const port = await airq(['serve', '--port', '99999', '--store', dir]);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/--port: must be a port number from 0 \(any free port\) to 65535/);
    const missing = await airq(['serve', '--port', '0', '--store', `${dir}-missing`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no airq store in .*-missing/);
    const taken = new URL(base).port;
    const busy = await airq(['serve', '--port', taken, '--store', dir]);
    expect([busy.code, busy.stderr]).toEqual([1, `airq: 127.0.0.1:${taken} is already in use; pick another port with --port (0 picks a free one)\n`]);
  });

  it('rejects chat requests that are not a valid question', async () => {
    for (const [body, type, message] of [
      [{}, 'application/json', /question/],
      [{ question: '   ' }, 'application/json', /ask a question/],
      [{ question: 'x'.repeat(2001) }, 'application/json', /at most 2,000 characters/],
      [{ question: 'hi', extra: 1 }, 'application/json', /extra/],
      [{ question: 'hi' }, 'text/plain', /application\/json/],
      [{ question: 'x'.repeat(70_000), history: [] }, 'application/json', /over 64 KiB/],
    ] as const) {
      const r = await chat(body, type);
      expect(r.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(((await r.json()) as { error: string }).error).toMatch(message);
    }
  });

  it('streams the tool calls, then the answer, then a done event with the trace id', async () => {
    const r = await chat({ question: 'Will the air be OK for a run tomorrow?' });
    expect(r.headers.get('content-type')).toContain('text/event-stream');
    const ev = await events(r);
    expect(ev.map((e) => e.event)).toEqual(['tool', 'text', 'done']);
    expect(ev[0]!.data).toMatchObject({ name: 'get_air_quality_forecast', arguments: { location: 'synthetic-city', start_date: '2024-07-01' } });
    expect(ev[2]!.data.answer).toMatch(/2024-07-01.*µg\/m³/s);
    expect(ev[2]!.data.trace_id).toEqual(expect.any(String));
  });

  it('follows up on the turns the page sends back', async () => {
    const first = await events(await chat({ question: 'Will the air be OK for a run tomorrow?' }));
    const answer = String(first.at(-1)!.data.answer);
    const next = await events(
      await chat({ question: 'and the day after tomorrow?', history: [{ question: 'Will the air be OK for a run tomorrow?', answer }] }),
    );
    expect(next[0]!.data).toMatchObject({ name: 'get_air_quality_forecast', arguments: { start_date: '2024-07-02' } });
  });
});

describe.skipIf(!beijingStore())('the page on a Beijing demo store, with no --today', () => {
  it('shows every card with tomorrow’s forecast as of the store’s own today (2017-02-21)', async () => {
    const live = await LiveStore.open({ dir: beijingStore()! });
    const web = await startWebServer(
      { moments: momentsOf(live), log: silentLogger, agent: { ask: () => Promise.reject(new Error('no chat here')) } },
      0,
      '127.0.0.1',
    );
    try {
      const body = (await (await fetch(`${web.url}/api/locations`)).json()) as { today: string; locations: { tomorrow: { date: string } | null }[] };
      expect(body.today).toBe('2017-02-21');
      expect(body.locations).toHaveLength(10);
      expect(body.locations.every((l) => l.tomorrow?.date === '2017-02-22')).toBe(true);
      const page = await (await fetch(`${web.url}/`)).text();
      expect(page).toContain('today is 2017-02-21');
      expect(page).not.toContain('no forecast');
    } finally {
      web.server.closeAllConnections();
      await new Promise((r) => web.server.close(r));
      await live.close();
    }
  });
});
