// `airq mcp`: serves the airq tools over MCP on stdio (nothing but protocol on stdout; logs go to stderr).
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { selectEmbedder, type Embedder } from '../../embed/index.js';
import { createMcpServer } from '../../mcp/server.js';
import { UsageError } from '../../core/errors.js';
import { startHttpServer } from '../../mcp/http.js';
import { HostOption, noMorePositionals, option, parse, PortOption } from '../args.js';

import { contextFrom, openExistingStore } from '../context.js';

export const MCP_HELP = `airq mcp — serve airq's tools to MCP clients (Claude Desktop, the MCP Inspector, agents)

  airq mcp            over stdio: the client starts this command and talks JSON-RPC on stdin/stdout
  airq mcp --http [--port N] [--host H]
                      over Streamable HTTP at http://H:N/mcp (default 127.0.0.1:8765; --port 0 picks a
                      free port). Bound to this machine it refuses foreign Origin and Host headers; with
                      AIRQ_MCP_TOKEN set every request needs Authorization: Bearer <token>. Bodies over
                      1 MiB are refused. Serves 2026-07-28 clients and the older initialize-based ones.

The store is opened read-only (--store DIR or AIRQ_STORE); "today" comes from --today or AIRQ_TODAY.
Tools: list_locations, get_air_quality_history, get_air_quality_forecast, find_similar_days,
search_similar, get_feature_vector, explain_forecast, list_feature_groups; resources and prompts.`;

export async function mcpCommand(argv: readonly string[], version: string): Promise<void> {
  const p = parse(argv, { http: { type: 'boolean' }, port: { type: 'string' }, host: { type: 'string' } }, 'mcp');
  const ctx = contextFrom(p);
  if (p.values.help) return ctx.out.line(MCP_HELP);
  noMorePositionals(p, 0, 'mcp');
  const port = option(PortOption, p.values.port ?? '8765', 'port');
  const host = option(HostOption, p.values.host ?? '127.0.0.1', 'host');
  if (!p.values.http && (p.values.port !== undefined || p.values.host !== undefined)) throw new UsageError('mcp: --port and --host go with --http');
  const store = await openExistingStore(ctx);
  let embedder: Promise<Embedder> | undefined;
  const factory = () =>
    createMcpServer({
      version,
      log: ctx.log,
      deps: {
        store,
        today: () => ctx.clock.today(),
        embedder: () => (embedder ??= selectEmbedder(ctx.storeDir).then((s) => s.embedder)),
      },
    });
  if (p.values.http) {
    const token = process.env.AIRQ_MCP_TOKEN || undefined;
    const http = await startHttpServer({ factory, host, port, token, log: ctx.log });
    // The address goes to stderr too: stdout stays clean for scripts that parse it.
    ctx.log.info(`serving MCP over Streamable HTTP at ${http.url}${token ? ' (bearer token required)' : ''}`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await http.close();
    await store.close();
    return;
  }
  const server = factory();
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
  await server.connect(transport);
  ctx.log.info(`serving MCP on stdio from ${ctx.storeDir}`);
  await closed;
  await store.close();
}
