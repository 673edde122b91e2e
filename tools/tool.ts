// What every MCP tool is: a name, a description written for an LLM, zod input and output schemas, hints, and a handler over domain services.
import type { z } from 'zod';
import type { Embedder } from '../src/embed/index.js';
import type { FeatureStore } from '../src/store/index.js';
import type { ToolErrors } from './errors.js';

export interface ToolDeps {
  store: FeatureStore;
  /** "Today" from the clock (--today / AIRQ_TODAY, else the real date). */
  today(): string;
  /** The text embedder the store's documents were embedded with (chosen once, on first use). */
  embedder(): Promise<Embedder>;
}

/** The call in flight: long tools report their steps, and stop between steps once the client cancels. */
export interface ToolCall {
  /** Sent to the client as a progress notification when it asked for them (a progress token); a no-op otherwise. */
  progress(done: number, total: number, message: string): Promise<void>;
  signal: AbortSignal;
}

/** For calls made outside MCP (the CLI, benchmarks): nobody to notify, never cancelled. */
export const DETACHED_CALL: ToolCall = { progress: async () => {}, signal: new AbortController().signal };

export interface ToolAnnotations {
  readOnlyHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  /** For the model: what it answers, when to use it, an example call (`{place}` and `{place_id}` stand for a place the store has). */
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  /** The errors this tool raises for its own reasons, each with its recovery hint (COMMON_ERRORS apply to every tool). */
  errors: ToolErrors;
  handler(args: z.output<I>, deps: ToolDeps, call: ToolCall): Promise<z.output<O>>;
}

/** Every airq tool only reads the store: read-only, idempotent, closed world. */
export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, idempotentHint: true, openWorldHint: false };

export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(tool: ToolDefinition<I, O>): ToolDefinition<I, O> {
  return tool;
}
