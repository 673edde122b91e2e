// Agent traces in the store: the `traces` feature group (one row per span) and the exporter the CLI hands the agent.
import type { Span, TraceExporter } from '../agent/tracing.js';
import type { FeatureStore, FeatureGroupSpecInput, Row } from '../store/index.js';
import { col, column as f, queueRows, type QueueFlusher } from '../store/index.js';

export const TRACES: FeatureGroupSpecInput = {
  name: 'traces',
  version: 1,
  description: 'Agent runs (airq ask, airq chat): one row per span — the run, each model call, each tool call, each guardrail check.',
  primaryKey: ['span_id'],
  eventTime: 'start',
  schema: [
    f('span_id', 'string', 'Unique id of the span.'),
    f('trace_id', 'string', 'The run the span belongs to.'),
    f('parent_id', 'string', 'The enclosing span (the run), null for the run itself.'),
    f('kind', 'string', 'run, model, tool or guardrail.'),
    f('name', 'string', 'What the span did, e.g. "model call 1" or a tool name.'),
    f('start', 'timestamp', 'When the span started (UTC).'),
    f('ms', 'float', 'How long it took, milliseconds.'),
    f('error', 'string', 'The error, when it failed.'),
    f(
      'attributes',
      'string',
      'JSON: question and answer (run); prompt, response and tokens (model); arguments and result size (tool); check and outcome (guardrail).',
    ),
  ],
};

/**
 * Traces go through the store's queue: an agent only reads the store, so it never waits for (or
 * blocks) a pipeline; the queue is applied by this process when nobody writes, else by the writer.
 */
export class StoreTraceExporter implements TraceExporter {
  constructor(
    private readonly storeDir: string,
    private readonly flusher: QueueFlusher,
  ) {}

  async export(spans: readonly Span[]): Promise<void> {
    queueRows(
      this.storeDir,
      TRACES,
      spans.map((s) => ({
        span_id: s.spanId,
        trace_id: s.traceId,
        parent_id: s.parentId,
        kind: s.kind,
        name: s.name,
        start: s.start,
        ms: Math.round(s.ms * 1000) / 1000,
        error: s.error ?? null,
        attributes: JSON.stringify(s.attributes),
      })),
    );
    this.flusher.queued();
  }
}

/** The spans of the last `last` runs (or of one run), oldest first, each run's spans in start order. */
export async function readTraces(store: FeatureStore, options: { last?: number; id?: string }): Promise<Row[]> {
  const fg = store.listFeatureGroups().find((g) => g.name === TRACES.name);
  if (!fg) return [];
  let runs: string[];
  if (options.id) runs = [options.id];
  else {
    const roots = await fg.select(['trace_id', 'start', 'kind']).filter(col('kind').eq('run')).read();
    runs = roots
      .sort((a, b) => String(a.start).localeCompare(String(b.start)))
      .slice(-(options.last ?? 10))
      .map((r) => r.trace_id as string);
  }
  const rows: Row[] = [];
  for (const id of runs) {
    const spans = await fg.selectAll().filter(col('trace_id').eq(id)).read();
    rows.push(...spans.sort((a, b) => (a.parent_id === null ? -1 : b.parent_id === null ? 1 : String(a.start).localeCompare(String(b.start)))));
  }
  return rows;
}
