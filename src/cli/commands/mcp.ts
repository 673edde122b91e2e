// `airq mcp`: serves the airq tools over MCP on stdio (nothing but protocol on stdout; logs go to stderr).
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { selectEmbedder, type Embedder } from '../../embed/index.js';
import { createMcpServer } from '../../mcp/server.js';
import { noMorePositionals, parse } from '../args.js';
import { contextFrom, openExistingStore } from '../context.js';

export const MCP_HELP = `airq mcp — serve airq's tools to MCP clients (Claude Desktop, the MCP Inspector, agents)

  airq mcp            over stdio: the client starts this command and talks JSON-RPC on stdin/stdout

The store is opened read-only (--store DIR or AIRQ_STORE); "today" comes from --today or AIRQ_TODAY.
Tools: list_locations, get_air_quality_history, get_air_quality_forecast, find_similar_days,
search_similar, get_feature_vector, explain_forecast, list_feature_groups. Streamable HTTP (--http) is still to come.`;

export async function mcpCommand(argv: readonly string[], version: string): Promise<void> {
  const p = parse(argv, {}, 'mcp');
  const ctx = contextFrom(p);
  if (p.values.help) return ctx.out.line(MCP_HELP);
  noMorePositionals(p, 0, 'mcp');
  const store = await openExistingStore(ctx);
  let embedder: Promise<Embedder> | undefined;
  const server = createMcpServer({
    version,
    log: ctx.log,
    deps: {
      store,
      today: () => ctx.clock.today(),
      embedder: () => (embedder ??= selectEmbedder(ctx.storeDir).then((s) => s.embedder)),
    },
  });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
  await server.connect(transport);
  ctx.log.info(`serving MCP on stdio from ${ctx.storeDir}`);
  await closed;
  await store.close();
}
