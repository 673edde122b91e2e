// Fuzz: `airq serve`'s server on a real store over real sockets. Random methods, targets, headers and bodies each get a
// well-formed answer below 500 with no stack trace in it (or, for a body that never arrives, none), and the server keeps serving.
import type { Server } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgent } from '../../src/agent/loop.js';
import type { McpTools } from '../../src/agent/mcp-tools.js';
import { BuiltinPlanner } from '../../src/agent/planner/builtin-model.js';
import { fixedMoments } from '../../src/airquality/services/moment.js';
import { createLogger } from '../../src/core/logger.js';
import { FeatureStore } from '../../src/store/index.js';
import { startWebServer } from '../../src/web/server.js';
import { inProcessTools } from '../helpers/agent-tools.js';
import { copyStoreForFile, removeStoreCopy, syntheticStore } from '../helpers/stores.js';
import { check, storeFingerprint } from './fuzz.js';
import { expectAnswered, explain, request, send } from './raw-http.js';

const TODAY = '2024-06-30';

describe('fuzz: airq serve over HTTP', () => {
  let dir: string;
  let before: string;
  let store: FeatureStore;
  let tools: McpTools;
  let server: Server;
  let port: number;
  /** What the server logged as an error: a request it did not expect to fail. */
  const errors: string[] = [];

  beforeAll(async () => {
    dir = copyStoreForFile(syntheticStore());
    before = await storeFingerprint(dir);
    store = await FeatureStore.open({ dir, readOnly: true });
    tools = await inProcessTools(dir, TODAY);
    const model = await BuiltinPlanner.create();
    const web = await startWebServer(
      {
        moments: fixedMoments(store, () => TODAY),
        log: createLogger('error', (line) => errors.push(line)),
        agent: { ask: (q, history, events) => runAgent(q, { model, tools, today: TODAY, history, ...events }) },
      },
      0,
      '127.0.0.1',
    );
    server = web.server;
    port = Number(new URL(web.url).port);
  }, 60_000);
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await tools?.close();
    await store?.close();
    if (dir) expect(await storeFingerprint(dir)).toBe(before);
    removeStoreCopy(dir);
  });

  it('every request gets a status below 500 without a stack trace, and the server keeps serving', async () => {
    await check(
      'http serve',
      fc.asyncProperty(
        fc.constant(null).chain(() => request(port)),
        async (r) => {
          errors.length = 0;
          const res = await send(port, r);
          expectAnswered(r, res);
          expect(errors, explain(r, res)).toEqual([]);
        },
      ),
      120,
    );
    const health = await fetch(`http://127.0.0.1:${port}/api/status`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { today: string }).today).toBe(TODAY);
  });
});
