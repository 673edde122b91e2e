// Wires an agent for the CLI: the model (LLM or builtin planner), its MCP tools (in-process or any server), and where traces go.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { agentClient, connectMcpCommand, connectMcpUrl, McpTools } from '../agent/mcp-tools.js';
import { openAIOptionsFromEnv } from '../agent/openai-options.js';
import { BuiltinPlanner } from '../agent/planner/builtin-model.js';
import { JsonlTraceExporter, Tracer, type Span, type TraceExporter } from '../agent/tracing.js';
import type { Model } from '../agent/types.js';
import { momentsOf } from '../airquality/services/moment.js';
import { todayIn } from '../airquality/store-clock.js';
import { errorMessage, UsageError } from '../core/errors.js';
import { serviceConfig } from '../core/config.js';
import { createMcpServer } from '../mcp/server.js';
import { examplePlaceOf } from '../mcp/example-place.js';
import { DB_FILE, QueueFlusher, withStore, type LiveStore } from '../store/index.js';
import type { CliContext } from './context.js';
import { lazyEmbedder, openLive, todayFor } from './context.js';
import { io } from './io.js';
import { StoreTraceExporter } from './trace-store.js';

export interface SessionOptions {
  /**
   * One question, then exit (`airq ask`): online tables load when a tool first reads them rather than all at open, and
   * the trace stays queued in the store (durable) for `airq traces` or the store's next writer to apply, instead of
   * the process opening the store for writing on its way out.
   */
  oneShot?: boolean;
  llm?: 'builtin' | 'openai';
  mcpUrl?: string;
  mcpCommand?: string;
  traceFile?: string;
  version: string;
}

export interface AgentSession {
  model: Model;
  tools: McpTools;
  /** The store the in-process tools read, following its writer (absent with --mcp-url or --mcp-command). */
  live?: LiveStore;
  /** "Today" for the next question: --today, else the store's own clock. */
  today(): Promise<string>;
  tracer: Tracer;
  close(): Promise<void>;
}

export async function chooseModel(llm: SessionOptions['llm']): Promise<Model> {
  const env = openAIOptionsFromEnv();
  if (llm === 'openai' && !env)
    throw new UsageError('--llm openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local server such as Ollama); AIRQ_LLM_MODEL picks the model');
  if ((llm ?? (env ? 'openai' : 'builtin')) === 'builtin') return BuiltinPlanner.create();
  const { OpenAIModel } = await import('../agent/openai-model.js'); // the SDK loads only for the LLM path
  return new OpenAIModel(env!);
}

function combined(exporters: TraceExporter[]): TraceExporter {
  return { export: async (spans: readonly Span[]) => void (await Promise.all(exporters.map((e) => e.export(spans)))) };
}

/** airq's own tools in this process, through a real MCP client: the agent sees exactly what an external client sees. */
async function inProcessTools(ctx: CliContext, live: LiveStore, version: string): Promise<McpTools> {
  const moments = momentsOf(live, ctx.todayOverride);
  const server = createMcpServer({
    version,
    // Each tool call is in the trace; on stderr it would only interleave with the answer.
    log: { ...ctx.log, info: ctx.log.debug },
    moments,
    embedder: lazyEmbedder(ctx),
    examplePlace: await examplePlaceOf(moments),
  });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const { client, validator } = agentClient(version);
  await client.connect(b);
  return new McpTools(client, () => server.close(), validator);
}

export async function openAgentSession(ctx: CliContext, options: SessionOptions): Promise<AgentSession> {
  const model = await chooseModel(options.llm);
  const hasStore = existsSync(join(ctx.storeDir, DB_FILE));
  let live: LiveStore | undefined;
  let tools: McpTools;
  if (options.mcpUrl) tools = await connectMcpUrl(options.mcpUrl, serviceConfig(io().env).mcpToken);
  else if (options.mcpCommand) tools = await connectMcpCommand(options.mcpCommand);
  else {
    live = await openLive(ctx, { warm: !options.oneShot });
    tools = await inProcessTools(ctx, live, options.version);
  }
  const flusher = hasStore ? new QueueFlusher(ctx.storeDir, ctx.log) : undefined;
  const exporters: TraceExporter[] = [];
  if (flusher) exporters.push(new StoreTraceExporter(ctx.storeDir, flusher));
  else ctx.log.warn(`traces are not stored: there is no store in ${ctx.storeDir}; use --trace-file`);
  if (options.traceFile) exporters.push(new JsonlTraceExporter(options.traceFile));
  const tracer = new Tracer(exporters.length ? combined(exporters) : undefined, (e) => ctx.log.warn(`trace not written: ${errorMessage(e)}`));
  const today = async () => {
    if (ctx.todayOverride) return ctx.todayOverride;
    if (live) return withStore(live, async (s) => todayFor(ctx, s));
    return todayIn('UTC');
  };
  return {
    model,
    tools,
    live,
    today,
    tracer,
    close: async () => {
      await tracer.flush();
      await tools.close();
      await live?.close();
      if (flusher && options.oneShot) flusher.stop();
      else if (flusher && !(await flusher.close())) ctx.log.info('the trace is queued in the store; its writer stores it when it finishes');
    },
  };
}
