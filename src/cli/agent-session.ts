// Wires an agent for the CLI: the model (LLM or builtin planner), its MCP tools (in-process or any server), and where traces go.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { connectMcpCommand, connectMcpUrl, McpTools } from '../agent/mcp-tools.js';
import { OpenAIModel, openAIOptionsFromEnv } from '../agent/openai-model.js';
import { BuiltinPlanner } from '../agent/planner/builtin-model.js';
import { JsonlTraceExporter, Tracer, type Span, type TraceExporter } from '../agent/tracing.js';
import type { Model } from '../agent/types.js';
import { errorMessage, UsageError } from '../core/errors.js';
import { selectEmbedder, type Embedder } from '../embed/index.js';
import { createMcpServer } from '../mcp/server.js';
import { DB_FILE, FeatureStore } from '../store/feature-store.js';
import type { CliContext } from './context.js';
import { openExistingStore } from './context.js';
import { StoreTraceExporter } from './trace-store.js';

export interface SessionOptions {
  llm?: 'builtin' | 'openai';
  mcpUrl?: string;
  mcpCommand?: string;
  traceFile?: string;
  version: string;
}

export interface AgentSession {
  model: Model;
  tools: McpTools;
  /** The store the in-process tools read (absent with --mcp-url or --mcp-command). */
  store?: FeatureStore;
  tracer: Tracer;
  close(): Promise<void>;
}

export async function chooseModel(llm: SessionOptions['llm']): Promise<Model> {
  const env = openAIOptionsFromEnv();
  if (llm === 'openai' && !env)
    throw new UsageError('--llm openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local server such as Ollama); AIRQ_LLM_MODEL picks the model');
  return (llm ?? (env ? 'openai' : 'builtin')) === 'openai' ? new OpenAIModel(env!) : BuiltinPlanner.create();
}

/** Traces go to the store when it can be written (not while another process holds it) and to --trace-file. */
async function openTraceStore(ctx: CliContext): Promise<FeatureStore | undefined> {
  if (!existsSync(join(ctx.storeDir, DB_FILE))) return undefined;
  try {
    return await FeatureStore.open({ dir: ctx.storeDir, clock: ctx.clock });
  } catch (e) {
    ctx.log.warn(`traces are not stored: the store cannot be opened for writing (${errorMessage(e).split('\n')[0]}); use --trace-file`);
    return undefined;
  }
}

function combined(exporters: TraceExporter[]): TraceExporter {
  return { export: async (spans: readonly Span[]) => void (await Promise.all(exporters.map((e) => e.export(spans)))) };
}

export async function openAgentSession(ctx: CliContext, options: SessionOptions): Promise<AgentSession> {
  const model = await chooseModel(options.llm);
  let tools: McpTools;
  let writable: FeatureStore | undefined;
  let store: FeatureStore | undefined;
  // An external server first: a child `airq mcp` on this store must open it before we hold its write lock.
  if (options.mcpUrl) tools = await connectMcpUrl(options.mcpUrl, process.env.AIRQ_MCP_TOKEN || undefined);
  else if (options.mcpCommand) tools = await connectMcpCommand(options.mcpCommand);
  else {
    writable = await openTraceStore(ctx);
    store = writable ?? (await openExistingStore(ctx));
    // In process, but through a real MCP client: the agent sees exactly what an external client sees.
    let embedder: Promise<Embedder> | undefined;
    const server = createMcpServer({
      version: options.version,
      // Each tool call is in the trace; on stderr it would only interleave with the answer.
      log: { ...ctx.log, info: ctx.log.debug },
      deps: { store, today: () => ctx.clock.today(), embedder: () => (embedder ??= selectEmbedder(ctx.storeDir).then((s) => s.embedder)) },
    });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(a);
    const client = new Client({ name: 'airq-agent', version: options.version });
    await client.connect(b);
    tools = new McpTools(client, () => server.close());
  }
  if (options.mcpUrl ?? options.mcpCommand) writable = await openTraceStore(ctx);
  const exporters: TraceExporter[] = [];
  if (writable) exporters.push(new StoreTraceExporter(writable));
  if (options.traceFile) exporters.push(new JsonlTraceExporter(options.traceFile));
  const tracer = new Tracer(exporters.length ? combined(exporters) : undefined, (e) => ctx.log.warn(`trace not written: ${errorMessage(e)}`));
  return {
    model,
    tools,
    store,
    tracer,
    close: async () => {
      await tracer.flush();
      await tools.close();
      await (writable ?? store)?.close();
    },
  };
}
