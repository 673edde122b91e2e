// The MCP server: registers every tool of tools/ on an McpServer; tool failures become isError results a model can act on.
import { McpServer } from '@modelcontextprotocol/server';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import { TOOLS, type ToolDefinition, type ToolDeps } from '../../tools/index.js';

export interface ServerOptions {
  deps: ToolDeps;
  log: Logger;
  version: string;
}

type ToolResult = { content: { type: 'text'; text: string }[]; structuredContent?: Record<string, unknown>; isError?: boolean };

/** Runs one tool: validated output as structured content plus the same JSON as text; any failure as an isError result. */
export async function runTool(tool: ToolDefinition, args: unknown, deps: ToolDeps, log: Logger): Promise<ToolResult> {
  const t0 = performance.now();
  try {
    const out = tool.output.parse(await tool.handler(args as never, deps)) as Record<string, unknown>;
    log.info(`tool ${tool.name} ok in ${(performance.now() - t0).toFixed(1)} ms`);
    return { content: [{ type: 'text', text: JSON.stringify(out) }], structuredContent: out };
  } catch (e) {
    log.info(`tool ${tool.name} failed in ${(performance.now() - t0).toFixed(1)} ms: ${errorMessage(e).split('\n')[0]}`);
    return { content: [{ type: 'text', text: errorMessage(e) }], isError: true };
  }
}

export function createMcpServer(options: ServerOptions): McpServer {
  const server = new McpServer(
    { name: 'airq', version: options.version },
    {
      instructions:
        'airq answers questions about air quality (PM2.5 in µg/m³) where people live: observed history, 7-day forecasts with intervals, similar past days, and a knowledge base. Call list_locations when unsure of a place name.',
    },
  );
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, outputSchema: tool.output, annotations: tool.annotations },
      (args: unknown) => runTool(tool, args, options.deps, options.log),
    );
  }
  registerResources(server, options.deps.store);
  registerPrompts(server);
  return server;
}
