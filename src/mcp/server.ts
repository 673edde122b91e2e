// The MCP server: registers every tool of tools/ on an McpServer; tool failures become isError results a model can act on.
import { McpServer, type ServerContext } from '@modelcontextprotocol/server';
import { AppError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Moments } from '../airquality/services/moment.js';
import type { Embedder } from '../embed/index.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import { DETACHED_CALL, TOOLS, WRITE_TOOLS, type ToolCall, type ToolDefinition, type ToolDeps } from '../../tools/index.js';

export interface ServerOptions {
  /** Each request's store and today: a server over a LiveStore answers from the writer's latest commit. */
  moments: Moments;
  /** The text embedder the store's documents were embedded with (chosen once, on first use). */
  embedder(): Promise<Embedder>;
  log: Logger;
  version: string;
  /** Serve the tools that write the store (add_place): off unless the operator asks. */
  allowWrites?: boolean;
}

/** Runs `fn` with the tools' dependencies for one request. */
export function withDeps<T>(options: Pick<ServerOptions, 'moments' | 'embedder'>, fn: (deps: ToolDeps) => Promise<T>): Promise<T> {
  return options.moments(({ store, today }) => fn({ store, today: () => today, embedder: options.embedder }));
}

type ToolResult = { content: { type: 'text'; text: string }[]; structuredContent?: Record<string, unknown>; isError?: boolean };

/**
 * What a model can do next after a domain error, by the error's `recover` detail. The domain says what went wrong in
 * words for people (the web page and the CLI show them as they are); only here, for a model, are tools named.
 */
const RECOVERY: Record<string, string> = {
  list_locations: 'Call list_locations for every location with data.',
  history: 'For days up to today call get_air_quality_history.',
  forecast_days: 'get_air_quality_forecast lists the forecast days.',
};

/** An error as a calling model reads it: the message, then how to recover when the error says. */
function forModels(e: unknown): string {
  const recover = e instanceof AppError ? e.details?.recover : undefined;
  const hint = typeof recover === 'string' ? RECOVERY[recover] : undefined;
  return hint ? `${errorMessage(e)}. ${hint}` : errorMessage(e);
}

/** Runs one tool: validated output as structured content plus the same JSON as text; any failure as an isError result. */
export async function runTool(tool: ToolDefinition, args: unknown, deps: ToolDeps, log: Logger, call: ToolCall = DETACHED_CALL): Promise<ToolResult> {
  const t0 = performance.now();
  try {
    const out = tool.output.parse(await tool.handler(args as never, deps, call)) as Record<string, unknown>;
    log.info(`tool ${tool.name} ok in ${(performance.now() - t0).toFixed(1)} ms`);
    return { content: [{ type: 'text', text: JSON.stringify(out) }], structuredContent: out };
  } catch (e) {
    log.info(`tool ${tool.name} failed in ${(performance.now() - t0).toFixed(1)} ms: ${errorMessage(e).split('\n')[0]}`);
    return { content: [{ type: 'text', text: forModels(e) }], isError: true };
  }
}

/** Progress goes to the client only when its request carried a progress token; the abort signal follows its cancellation. */
export function toolCallOf(ctx: ServerContext): ToolCall {
  const token = ctx.mcpReq._meta?.progressToken;
  return {
    signal: ctx.mcpReq.signal,
    progress: async (progress, total, message) => {
      if (token === undefined) return;
      await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress, total, message } });
    },
  };
}

export function createMcpServer(options: ServerOptions): McpServer {
  const server = new McpServer(
    { name: 'airq', version: options.version },
    {
      instructions:
        'airq answers questions about air quality (PM2.5 in µg/m³) where people live: observed history, 7-day forecasts with intervals, similar past days, and a knowledge base. Call list_locations when unsure of a place name.',
    },
  );
  for (const tool of options.allowWrites ? [...TOOLS, ...WRITE_TOOLS] : TOOLS) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, outputSchema: tool.output, annotations: tool.annotations },
      (args: unknown, ctx: ServerContext) =>
        withDeps(options, (deps) => runTool(tool, args, deps, options.log, toolCallOf(ctx))).catch((e: unknown) => {
          // The store could not be opened for this call: still a result the model can read.
          options.log.warn(`tool ${tool.name}: ${errorMessage(e).split('\n')[0]}`);
          return { content: [{ type: 'text' as const, text: errorMessage(e) }], isError: true };
        }),
    );
  }
  registerResources(server, options.moments);
  registerPrompts(server, options.moments);
  return server;
}
