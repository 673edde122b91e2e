// `airq serve`: the web page (forecasts, observations, hindcasts, a chat with the agent) on localhost.
import { z } from 'zod';
import { runAgent } from '../../agent/loop.js';
import { momentsOf } from '../../airquality/services/moment.js';
import { UsageError } from '../../core/errors.js';
import { startWebServer } from '../../web/server.js';
import { HostOption, noMorePositionals, option, parse, PortOption } from '../args.js';
import { openAgentSession } from '../agent-session.js';
import { contextFrom } from '../context.js';

const Llm = z.enum(['builtin', 'openai']);

export async function serveCommand(argv: readonly string[], version: string): Promise<void> {
  const p = parse(argv, { port: { type: 'string' }, host: { type: 'string' }, llm: { type: 'string' } }, 'serve');
  const ctx = contextFrom(p);
  noMorePositionals(p, 0, 'serve');
  const port = option(PortOption, p.values.port ?? '8080', 'port');
  const host = option(HostOption, p.values.host ?? '127.0.0.1', 'host');
  const llm = p.values.llm === undefined ? undefined : option(Llm, p.values.llm, 'llm');
  // The chat's agent reaches the store through its in-process MCP tools; the page reads the same live store.
  const session = await openAgentSession(ctx, { llm, version });
  try {
    if (!session.live) throw new UsageError('serve: the page needs a store (--store DIR or AIRQ_STORE)');
    const live = session.live;
    const web = await startWebServer(
      {
        moments: momentsOf(live, ctx.todayOverride),
        log: ctx.log,
        agent: {
          ask: async (question, history, events) =>
            runAgent(question, { model: session.model, tools: session.tools, today: await session.today(), tracer: session.tracer, history, ...events }),
        },
      },
      port,
      host,
    );
    ctx.out.line(web.url);
    ctx.log.info(`serving the page at ${web.url} from ${ctx.storeDir} (chat: ${session.model.name}); Ctrl-C stops`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    web.server.closeAllConnections();
    await new Promise((r) => web.server.close(r));
  } finally {
    await session.close();
  }
}
