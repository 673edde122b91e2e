// The MCP server: registers every tool of tools/ on an McpServer; tool failures become isError results a model can act on.
import { McpServer, type ServerContext } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import { AppError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Moments } from '../airquality/services/moment.js';
import type { Embedder } from '../embed/index.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import { DETACHED_CALL, TOOLS, WRITE_TOOLS, type ToolCall, type ToolDefinition, type ToolDeps } from '../../tools/index.js';
import { ERROR_META_KEY, failureText, toolFailure, type ToolFailure } from '../../tools/errors.js';
import { servedInput, servedOutput } from './portable-schema.js';
import { withExamplePlace, type ExamplePlace } from './example-place.js';

export interface ServerOptions {
  /** Each request's store and today: a server over a LiveStore answers from the writer's latest commit. */
  moments: Moments;
  /** The text embedder the store's documents were embedded with (chosen once, on first use). */
  embedder(): Promise<Embedder>;
  log: Logger;
  version: string;
  /** The place the description examples name (examplePlaceOf the store); without it, a Beijing station. */
  examplePlace?: ExamplePlace;
  /** Serve the tools that write the store (add_place): off unless the operator asks. */
  allowWrites?: boolean;
}

/** Runs `fn` with the tools' dependencies for one request. */
export function withDeps<T>(options: Pick<ServerOptions, 'moments' | 'embedder'>, fn: (deps: ToolDeps) => Promise<T>): Promise<T> {
  return options.moments(({ store, today }) => fn({ store, today: () => today, embedder: options.embedder }));
}

type ToolResult = {
  content: { type: 'text'; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  _meta?: Record<string, unknown>;
};

/** A failure as a tool result: the message and hint as text for the model, and as data under `_meta` for programs. */
export function failureResult(f: ToolFailure): ToolResult {
  return { content: [{ type: 'text', text: failureText(f) }], isError: true, _meta: { [ERROR_META_KEY]: f } };
}

/**
 * Runs one tool's handler: its answer as structured content plus the same JSON as text (the SDK validates input before and
 * output after); a domain error as a failure result with its code and hint. A cancelled call rethrows, so no result is sent.
 */
export async function runTool(tool: ToolDefinition, args: unknown, deps: ToolDeps, log: Logger, call: ToolCall = DETACHED_CALL): Promise<ToolResult> {
  const t0 = performance.now();
  const took = () => `${(performance.now() - t0).toFixed(1)} ms`;
  try {
    const answer = await tool.handler(args as never, deps, call);
    call.signal.throwIfAborted();
    // Exactly the declared shape (a client validates it against the listed schema, which allows no other keys).
    const shaped = tool.output.safeParse(answer);
    if (!shaped.success) throw new AppError('INTERNAL', `airq's answer broke its own output schema at ${issueAt(shaped.error)}`);
    const out = shaped.data as Record<string, unknown>;
    log.info(`tool ${tool.name} ok in ${took()}`);
    return { content: [{ type: 'text', text: JSON.stringify(out) }], structuredContent: out };
  } catch (e) {
    if (call.signal.aborted) {
      log.info(`tool ${tool.name} cancelled after ${took()}`);
      throw e;
    }
    const f = toolFailure(e, tool.errors);
    log.info(`tool ${tool.name} failed in ${took()}: ${f.code} ${f.message.split('\n')[0]}`);
    return failureResult(f);
  }
}

/** Where the first problem of an output is, without the values (a bug report, not a dump). */
const issueAt = (e: z.ZodError): string => e.issues[0]?.path.join('.') || 'the top';

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
      {
        title: tool.title,
        description: withExamplePlace(tool.description, options.examplePlace),
        inputSchema: servedInput(tool.input),
        outputSchema: servedOutput(tool.output),
        annotations: tool.annotations,
      },
      (args: unknown, ctx: ServerContext) => {
        const call = toolCallOf(ctx);
        return withDeps(options, (deps) => runTool(tool, args, deps, options.log, call)).catch((e: unknown) => {
          if (call.signal.aborted) throw e;
          // The store could not be opened for this call: still a result the model can read.
          options.log.warn(`tool ${tool.name}: ${errorMessage(e).split('\n')[0]}`);
          return failureResult(toolFailure(e, tool.errors));
        });
      },
    );
  }
  registerResources(server, options.moments);
  registerPrompts(server, options.moments);
  return server;
}
