// `airq mcp`: serves the airq tools over MCP on stdio (nothing but protocol on stdout; logs go to stderr) or Streamable HTTP.
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { momentsOf } from '../../airquality/services/moment.js';
import { createMcpServer } from '../../mcp/server.js';
import { examplePlaceOf } from '../../mcp/example-place.js';
import { UsageError } from '../../core/errors.js';
import { serverToken } from '../../core/config.js';
import { checkOpenBind } from '../../core/http-guard.js';
import { startHttpServer } from '../../mcp/http.js';
import { guardedStdin } from '../../mcp/stdio-guard.js';
import { z } from 'zod';
import { HostOption, noMorePositionals, option, parse, PortOption } from '../args.js';
import { contextFrom, lazyEmbedder, openLive } from '../context.js';
import { io } from '../io.js';

/** A browser origin as it arrives in the Origin header: scheme, host and optional port, nothing after. */
const OriginOption = z
  .string()
  .regex(/^https?:\/\/[a-z0-9.-]+(?::\d{1,5})?$/i, 'an origin such as https://app.example.com or http://localhost:5173 (scheme, host, port; no path)');

export async function mcpCommand(argv: readonly string[], version: string): Promise<void> {
  const p = parse(
    argv,
    {
      http: { type: 'boolean' },
      port: { type: 'string' },
      host: { type: 'string' },
      'cors-origin': { type: 'string', multiple: true },
      'allow-add-places': { type: 'boolean' },
      'allow-unauthenticated': { type: 'boolean' },
    },
    'mcp',
  );
  const ctx = contextFrom(p);
  noMorePositionals(p, 0, 'mcp');
  const port = option(PortOption, p.values.port ?? '8765', 'port');
  const host = option(HostOption, p.values.host ?? '127.0.0.1', 'host');
  const corsOrigins = ((p.values['cors-origin'] as string[] | undefined) ?? []).map((o) => option(OriginOption, o, 'cors-origin'));
  if (!p.values.http && (p.values.port !== undefined || p.values.host !== undefined || corsOrigins.length > 0 || p.values['allow-unauthenticated'])) {
    throw new UsageError('mcp: --port, --host, --cors-origin and --allow-unauthenticated go with --http');
  }
  const token = p.values.http ? serverToken('AIRQ_MCP_TOKEN', io().env) : undefined;
  const allowUnauthenticated = p.values['allow-unauthenticated'] === true;
  if (p.values.http) checkOpenBind({ host, token, allowUnauthenticated, command: 'airq mcp --http', tokenVar: 'AIRQ_MCP_TOKEN' }, ctx.log.warn);
  // A reader that follows the store's writer: pipelines run while clients stay connected, and each call sees their last commit.
  const live = await openLive(ctx);
  const embedder = lazyEmbedder(ctx);
  const moments = momentsOf(live, ctx.todayOverride);
  const allowWrites = p.values['allow-add-places'] === true;
  try {
    const examplePlace = await examplePlaceOf(moments);
    const factory = () => createMcpServer({ version, log: ctx.log, moments, embedder, examplePlace, allowWrites });
    if (p.values.http) {
      const http = await startHttpServer({ factory, host, port, token, corsOrigins, log: ctx.log });
      // The address goes to stderr too: stdout stays clean for scripts that parse it.
      ctx.log.info(`serving MCP over Streamable HTTP at ${http.url}${token ? ' (bearer token required)' : ''}`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await http.close();
      return;
    }
    const server = factory();
    // Lines that are no JSON-RPC message get their error reply here; the SDK's transport would drop them unanswered.
    const transport = new StdioServerTransport(guardedStdin(process.stdin, process.stdout), process.stdout);
    const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
    await server.connect(transport);
    ctx.log.info(`serving MCP on stdio from ${ctx.storeDir}`);
    await closed;
  } finally {
    await live.close();
  }
}
