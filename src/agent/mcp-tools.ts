// The agent's only way to tools: an MCP client (in-process, over HTTP or a spawned stdio server), with schemas, timeouts and the place list.
import { Client, StreamableHTTPClientTransport, type JsonSchemaType, type JsonSchemaValidator, type jsonSchemaValidator } from '@modelcontextprotocol/client';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';
import { z } from 'zod';
import type { HealthFacts } from '../core/health-claims.js';
import type { KnownLocation, ToolSpec } from './types.js';

export interface ToolOutcome {
  /** What goes back to the model: the result's text (JSON for airq's tools) or the error message. */
  text: string;
  isError: boolean;
}

const Range = z.tuple([z.number(), z.number()]);
const HealthFactsShape = z.object({
  who: z.array(
    z.object({
      pollutant: z.enum(['pm25', 'pm10', 'no2']),
      averaging: z.enum(['annual', '24-hour']),
      guideline: z.number(),
      interimTargets: z.array(z.number()),
      earlier: z.array(z.number()),
    }),
  ),
  whoSource: z.string(),
  aqi: z.array(z.object({ category: z.string(), aqi: Range, pm25: z.object({ '2012': Range, '2024': Range }), advice: z.string() })),
  aqiSource: z.string(),
  noSafeLevel: z.string(),
});

const LocationsResult = z.object({
  locations: z.array(z.object({ location_id: z.string(), name: z.string(), aliases: z.array(z.string()).default([]), city: z.string().optional() })),
});

export class McpTools {
  private specs?: ToolSpec[];
  private outputSchemas = new Map<string, JsonSchemaType>();
  private places?: KnownLocation[];
  private facts?: HealthFacts | null;

  constructor(
    readonly client: Client,
    private readonly onClose: () => Promise<void> = async () => {},
    /** The client's validator, when it compiles lazily: a tool's output schema is compiled before its first call. */
    private readonly validator?: LazyValidator,
  ) {}

  async list(): Promise<ToolSpec[]> {
    if (!this.specs) {
      const { tools } = await this.client.listTools();
      this.specs = tools.map((t) => ({ name: t.name, description: t.description ?? '', inputSchema: t.inputSchema as Record<string, unknown> }));
      for (const t of tools) if (t.outputSchema) this.outputSchemas.set(t.name, t.outputSchema as JsonSchemaType);
    }
    return this.specs;
  }

  /** Refuses a tool whose output schema does not compile before it runs (its result could not be checked). */
  private async checkOutputSchema(name: string): Promise<void> {
    if (!this.validator) return;
    await this.list();
    const schema = this.outputSchemas.get(name);
    if (!schema) return;
    try {
      this.validator.compile(schema);
    } catch (e) {
      throw new Error(`Tool '${name}' has an invalid outputSchema: ${(e instanceof Error ? e.message : String(e)).slice(0, 200)}`, { cause: e });
    }
  }

  async call(name: string, args: Record<string, unknown>, options: { timeoutMs: number; signal?: AbortSignal }): Promise<ToolOutcome> {
    await this.checkOutputSchema(name);
    const r = await this.client.callTool({ name, arguments: args }, { timeout: options.timeoutMs, signal: options.signal });
    const text = (r.content as { type: string; text?: string }[])
      .filter((c) => c.type === 'text')
      .map((c) => c.text ?? '')
      .join('\n');
    return { text: text || JSON.stringify(r.structuredContent ?? {}), isError: r.isError === true };
  }

  /** The places the server knows (via list_locations when it has that tool; none otherwise), for prompts and the planner. */
  async locations(): Promise<KnownLocation[]> {
    if (this.places) return this.places;
    const has = (await this.list()).some((t) => t.name === 'list_locations');
    if (!has) return (this.places = []);
    const r = await this.client.callTool({ name: 'list_locations', arguments: {} });
    const parsed = LocationsResult.safeParse(r.structuredContent);
    this.places = parsed.success
      ? parsed.data.locations.map((l) => ({ id: l.location_id, name: l.name, aliases: l.aliases, ...(l.city ? { city: l.city } : {}) }))
      : [];
    return this.places;
  }

  /**
   * The server's canonical health facts (the airq://health-facts resource), to check an answer against; undefined
   * when the server has no such resource (another MCP server) or it is not in the expected shape.
   */
  async healthFacts(): Promise<HealthFacts | undefined> {
    if (this.facts === undefined) {
      try {
        const r = await this.client.readResource({ uri: 'airq://health-facts' });
        const text = r.contents.find((c) => 'text' in c)?.text;
        const parsed = HealthFactsShape.safeParse(typeof text === 'string' ? JSON.parse(text) : undefined);
        this.facts = parsed.success ? (parsed.data as HealthFacts) : null;
      } catch {
        this.facts = null;
      }
    }
    return this.facts ?? undefined;
  }

  async close(): Promise<void> {
    await this.client.close();
    await this.onClose();
  }
}

/**
 * The SDK's validator (Ajv), compiling a tool's output schema when that tool is first called, not every listed tool's
 * at the first call as the client does by itself (~0.1 s of a one-question `airq ask` that uses one or two tools).
 * McpTools compiles the called tool's schema before sending the call, so a schema that does not compile refuses that
 * tool's calls before it runs, as the client does; compiled validators are kept by schema.
 */
export class LazyValidator implements jsonSchemaValidator {
  private readonly compiled = new Map<string, JsonSchemaValidator<unknown>>();

  constructor(private readonly inner: jsonSchemaValidator = new AjvJsonSchemaValidator()) {}

  /** The validator of `schema`, compiled now if it was not yet; throws when the schema does not compile. */
  compile<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    const key = JSON.stringify(schema);
    let v = this.compiled.get(key);
    if (!v) this.compiled.set(key, (v = this.inner.getValidator<unknown>(schema)));
    return v as JsonSchemaValidator<T>;
  }

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    return (input: unknown) => this.compile<T>(schema)(input);
  }
}

/** An MCP client as the agent uses it, and its validator (output schemas compiled when first needed). */
export function agentClient(version = '1'): { client: Client; validator: LazyValidator } {
  const validator = new LazyValidator();
  return { client: new Client({ name: 'airq-agent', version }, { jsonSchemaValidator: validator }), validator };
}

/** Any MCP server over Streamable HTTP (e.g. `airq mcp --http`), with an optional bearer token. */
export async function connectMcpUrl(url: string, token?: string): Promise<McpTools> {
  const transport = new StreamableHTTPClientTransport(new URL(url), token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : undefined);
  const { client, validator } = agentClient();
  await client.connect(transport);
  return new McpTools(client, undefined, validator);
}

/** Any MCP server started as a child process speaking stdio, e.g. "node bin/airq.js mcp --store .airq". */
export async function connectMcpCommand(commandLine: string, env: Record<string, string> = {}): Promise<McpTools> {
  const [command, ...args] = commandLine.match(/"[^"]*"|'[^']*'|\S+/g)?.map((a) => a.replace(/^["']|["']$/g, '')) ?? [];
  if (!command) throw new Error('--mcp-command is empty');
  const { StdioClientTransport } = await import('@modelcontextprotocol/client/stdio'); // only for servers run as a command
  const transport = new StdioClientTransport({ command, args, env: { ...(process.env as Record<string, string>), ...env }, stderr: 'ignore' });
  const { client, validator } = agentClient();
  await client.connect(transport);
  return new McpTools(client, undefined, validator);
}
