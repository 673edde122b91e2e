// `airq serve`: the web page (forecasts, observations, hindcasts, a chat with the agent) on localhost.
import { z } from 'zod';
import { runAgent } from '../../agent/loop.js';
import { UsageError } from '../../core/errors.js';
import { startWebServer } from '../../web/server.js';
import { HostOption, noMorePositionals, option, parse, PortOption } from '../args.js';
import { openAgentSession } from '../agent-session.js';
import { contextFrom } from '../context.js';

export const SERVE_HELP = `airq serve [--port N] [--host H] [--llm builtin|openai] — the web page

  --port N     the port (default 8080; 0 picks a free one)
  --host H     the address to listen on (default 127.0.0.1, this machine only)
  --llm M      the chat's model: builtin (offline planner) or openai (OPENAI_API_KEY / OPENAI_BASE_URL)

The first stdout line is the page's address. Pages: / (every location), /locations/ID; JSON: /api.`;

const Llm = z.enum(['builtin', 'openai']);

export async function serveCommand(argv: readonly string[], version: string): Promise<void> {
  const p = parse(argv, { port: { type: 'string' }, host: { type: 'string' }, llm: { type: 'string' } }, 'serve');
  const ctx = contextFrom(p);
  if (p.values.help) return ctx.out.line(SERVE_HELP);
  noMorePositionals(p, 0, 'serve');
  const port = option(PortOption, p.values.port ?? '8080', 'port');
  const host = option(HostOption, p.values.host ?? '127.0.0.1', 'host');
  const llm = p.values.llm === undefined ? undefined : option(Llm, p.values.llm, 'llm');
  // The chat's agent reaches the store through its in-process MCP tools; the page reads the same store.
  const session = await openAgentSession(ctx, { llm, version });
  if (!session.store) throw new UsageError('serve: the page needs a store (--store DIR or AIRQ_STORE)');
  const web = await startWebServer(
    {
      store: session.store,
      today: () => ctx.clock.today(),
      log: ctx.log,
      agent: {
        ask: (question, history, events) =>
          runAgent(question, { model: session.model, tools: session.tools, today: ctx.clock.today(), tracer: session.tracer, history, ...events }),
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
  await session.close();
}
