// `airq serve`: the web page (forecasts, observations, hindcasts, a chat with the agent) on localhost.
import { z } from 'zod';
import { runAgent } from '../../agent/loop.js';
import { momentsOf, type Moments } from '../../airquality/services/moment.js';
import { parseRunAt } from '../../airquality/pipelines/schedule.js';
import { needsRun, placeZones } from '../../airquality/services/status.js';
import { childRun, Scheduler } from '../scheduler.js';
import { UsageError } from '../../core/errors.js';
import { serverToken } from '../../core/config.js';
import { checkOpenBind } from '../../core/http-guard.js';
import { startWebServer } from '../../web/server.js';
import { HostOption, noMorePositionals, option, parse, PortOption } from '../args.js';
import { openAgentSession } from '../agent-session.js';
import { contextFrom, type CliContext } from '../context.js';
import { io } from '../io.js';

const Llm = z.enum(['builtin', 'openai']);
const RunAt = z.string().refine((t) => parseRunAt(t) !== undefined, 'must be a local time written HH:MM, e.g. 06:00');

/** The daily `airq run` at HH:MM in the places' zones, and once now when the store is stale. */
function scheduleRuns(ctx: CliContext, moments: Moments, runAtText: string): Scheduler {
  return new Scheduler({
    storeDir: ctx.storeDir,
    runAt: parseRunAt(runAtText)!,
    runAtText,
    zones: () => moments(async ({ store }) => placeZones(store)),
    isStale: () => moments(async ({ store, today }) => needsRun(store, today, ctx.todayOverride)),
    runOnce: childRun(ctx.storeDir, ctx.todayOverride),
    log: ctx.log,
  });
}

export async function serveCommand(argv: readonly string[], version: string): Promise<void> {
  const p = parse(
    argv,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      llm: { type: 'string' },
      'run-at': { type: 'string' },
      'no-schedule': { type: 'boolean' },
      'allow-unauthenticated': { type: 'boolean' },
    },
    'serve',
  );
  const ctx = contextFrom(p);
  noMorePositionals(p, 0, 'serve');
  const port = option(PortOption, p.values.port ?? '8080', 'port');
  const host = option(HostOption, p.values.host ?? '127.0.0.1', 'host');
  const llm = p.values.llm === undefined ? undefined : option(Llm, p.values.llm, 'llm');
  const runAtText = option(RunAt, p.values['run-at'] ?? '06:00', 'run-at');
  if (p.values['no-schedule'] && p.values['run-at'] !== undefined) throw new UsageError('serve: --run-at and --no-schedule do not go together');
  const token = serverToken('AIRQ_SERVE_TOKEN', io().env);
  const allowUnauthenticated = p.values['allow-unauthenticated'] === true;
  checkOpenBind({ host, token, allowUnauthenticated, command: 'airq serve', tokenVar: 'AIRQ_SERVE_TOKEN' }, ctx.log.warn);
  // The chat's agent reaches the store through its in-process MCP tools; the page reads the same live store.
  const session = await openAgentSession(ctx, { llm, version });
  try {
    if (!session.live) throw new UsageError('serve: the page needs a store (--store DIR or AIRQ_STORE)');
    const live = session.live;
    const moments = momentsOf(live, ctx.todayOverride);
    const scheduler = p.values['no-schedule'] ? undefined : scheduleRuns(ctx, moments, runAtText);
    const web = await startWebServer(
      {
        moments,
        log: ctx.log,
        token,
        agent: {
          ask: async (question, history, events) =>
            runAgent(question, { model: session.model, tools: session.tools, today: await session.today(), tracer: session.tracer, history, ...events }),
        },
      },
      port,
      host,
    );
    ctx.out.line(web.url);
    ctx.log.info(
      `serving the page at ${web.url} and features at ${web.url}/features/VIEW/VERSION from ${ctx.storeDir} (chat: ${session.model.name}${token ? '; token required' : ''}); Ctrl-C stops`,
    );
    await scheduler?.start();
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    scheduler?.stop();
    web.server.closeAllConnections();
    await new Promise((r) => web.server.close(r));
  } finally {
    await session.close();
  }
}
