// Traces: one per agent run, a tree of spans (the run, each model call, each tool call, each guardrail), exported without blocking the answer.
import { appendFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';

export interface SpanAttributes {
  run: { question: string; answer?: string; model: string; steps?: number; flagged?: boolean };
  model: { model: string; prompt: string; response?: string; promptTokens?: number; completionTokens?: number; retries?: number };
  tool: { tool: string; arguments: unknown; resultChars?: number; isError?: boolean };
  guardrail: { check: string; passed?: boolean; detail?: string };
}
export type SpanKind = keyof SpanAttributes;

interface SpanBase {
  traceId: string;
  spanId: string;
  parentId: string | null;
  name: string;
  /** ISO timestamp of the start. */
  start: string;
  ms: number;
  error?: string;
}

export type Span = { [K in SpanKind]: SpanBase & { kind: K; attributes: SpanAttributes[K] } }[SpanKind];

export interface TraceExporter {
  export(spans: readonly Span[]): Promise<void>;
}

/** Prompts can be long; a trace keeps their first 20,000 characters. */
export const MAX_ATTRIBUTE_CHARS = 20_000;
export const clip = (s: string) => (s.length > MAX_ATTRIBUTE_CHARS ? `${s.slice(0, MAX_ATTRIBUTE_CHARS)}…` : s);

export class Trace {
  readonly id = randomUUID();
  readonly spans: Span[] = [];
  private readonly root: Extract<Span, { kind: 'run' }>;
  private readonly t0 = performance.now();

  constructor(question: string, model: string) {
    this.root = {
      traceId: this.id,
      spanId: randomUUID(),
      parentId: null,
      kind: 'run',
      name: 'agent run',
      start: new Date().toISOString(),
      ms: 0,
      attributes: { question, model },
    };
    this.spans.push(this.root);
  }

  /** Runs fn inside a span of this trace; fn may fill in attributes; a throw is recorded on the span and rethrown. */
  async withSpan<K extends SpanKind, T>(kind: K, name: string, attributes: SpanAttributes[K], fn: (attributes: SpanAttributes[K]) => Promise<T>): Promise<T> {
    const span = { traceId: this.id, spanId: randomUUID(), parentId: this.root.spanId, kind, name, start: new Date().toISOString(), ms: 0, attributes } as Span;
    this.spans.push(span);
    const t0 = performance.now();
    try {
      return await fn(attributes);
    } catch (e) {
      span.error = e instanceof Error ? e.message : String(e);
      throw e;
    } finally {
      span.ms = performance.now() - t0;
    }
  }

  finish(attributes: Partial<SpanAttributes['run']>, error?: string): void {
    Object.assign(this.root.attributes, attributes);
    this.root.ms = performance.now() - this.t0;
    if (error) this.root.error = error;
  }
}

/** Sends finished traces to an exporter in the background; flush() waits for them (before a process exits). */
export class Tracer {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly exporter?: TraceExporter,
    private readonly onError: (e: unknown) => void = () => {},
  ) {}

  export(trace: Trace): void {
    if (!this.exporter) return;
    const p = this.exporter
      .export(trace.spans)
      .catch(this.onError)
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}

/** One JSON object per span per line, appended to a file. */
export class JsonlTraceExporter implements TraceExporter {
  constructor(private readonly path: string) {}

  async export(spans: readonly Span[]): Promise<void> {
    await appendFile(this.path, spans.map((s) => JSON.stringify(s)).join('\n') + '\n');
  }
}
