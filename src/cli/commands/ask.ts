// `airq ask`, `airq chat` and `airq traces`: questions in people's words, answered by the agent over MCP tools, and the traces of its runs.
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { runAgent, DEFAULT_MAX_STEPS, type AgentResult } from '../../agent/loop.js';
import type { ChatMessage } from '../../agent/types.js';
import { errorMessage, UsageError } from '../../core/errors.js';
import { noMorePositionals, option, parse, type Parsed } from '../args.js';
import { openAgentSession, type AgentSession } from '../agent-session.js';
import { contextFrom, openForReading, type CliContext } from '../context.js';
import { io } from '../io.js';
import { table } from '../output.js';
import { readTraces } from '../trace-store.js';
import { applyQueueNow, queuedFiles } from '../../store/index.js';

const AGENT_OPTIONS = {
  llm: { type: 'string' },
  json: { type: 'boolean' },
  'mcp-url': { type: 'string' },
  'mcp-command': { type: 'string' },
  'max-steps': { type: 'string' },
  'tool-timeout': { type: 'string' },
  'trace-file': { type: 'string' },
} as const;

const Steps = z.coerce.number({ error: 'must be a whole number' }).int().min(1).max(50);
const Seconds = z.coerce.number({ error: 'must be a number of seconds' }).positive().max(3600);
const Llm = z.enum(['builtin', 'openai'], { error: 'must be builtin or openai' });
const Url = z.url({ error: 'must be a URL such as http://127.0.0.1:8765/mcp' });
const Count = z.coerce.number({ error: 'must be a whole number' }).int().min(1).max(10_000);

interface AgentFlags {
  maxSteps: number;
  toolTimeoutMs: number;
}

async function session(ctx: CliContext, p: Parsed, version: string, oneShot: boolean): Promise<{ s: AgentSession; flags: AgentFlags }> {
  const v = p.values;
  const flags = {
    maxSteps: option(Steps, v['max-steps'] ?? String(DEFAULT_MAX_STEPS), 'max-steps'),
    toolTimeoutMs: option(Seconds, v['tool-timeout'] ?? '30', 'tool-timeout') * 1000,
  };
  if (v['mcp-url'] !== undefined && v['mcp-command'] !== undefined) throw new UsageError('give --mcp-url or --mcp-command, not both');
  const s = await openAgentSession(ctx, {
    oneShot,
    llm: v.llm === undefined ? undefined : option(Llm, v.llm, 'llm'),
    mcpUrl: v['mcp-url'] === undefined ? undefined : option(Url, v['mcp-url'], 'mcp-url'),
    mcpCommand: v['mcp-command'] as string | undefined,
    traceFile: v['trace-file'] as string | undefined,
    version,
  });
  return { s, flags };
}

function toolSummary(r: AgentResult): string {
  return r.toolCalls.map((c) => `${c.name}${c.error ? ' (error)' : ''} ${c.ms.toFixed(0)} ms`).join(', ');
}

export async function askCommand(argv: readonly string[], version: string): Promise<void> {
  const p = parse(argv, AGENT_OPTIONS, 'ask');
  const ctx = contextFrom(p);
  if (p.positionals.length === 0) throw new UsageError('ask: give the question in quotes, e.g. airq ask "Will the air be OK tomorrow?"');
  noMorePositionals(p, 1, 'ask');
  const { s, flags } = await session(ctx, p, version, true);
  try {
    const r = await runAgent(p.positionals[0]!, { model: s.model, tools: s.tools, today: await s.today(), tracer: s.tracer, ...flags });
    if (p.values.json) {
      ctx.out.line(r.answer);
      ctx.out.json({
        answer: r.answer,
        tool_calls: r.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments, ms: Math.round(c.ms * 10) / 10, ...(c.error ? { error: c.error } : {}) })),
        trace_id: r.traceId,
        ms: Math.round(r.ms * 10) / 10,
        flagged: r.flagged,
      });
    } else {
      ctx.out.line(r.answer);
      if (r.toolCalls.length) ctx.log.info(`tools: ${toolSummary(r)}; trace ${r.traceId}`);
      if (r.flagged) ctx.log.warn(`the answer states ${r.ungrounded.join(', ')}, which no tool returned`);
    }
  } finally {
    await s.close();
  }
}

export async function chatCommand(argv: readonly string[], version: string): Promise<void> {
  const p = parse(argv, AGENT_OPTIONS, 'chat');
  const ctx = contextFrom(p);
  noMorePositionals(p, 0, 'chat');
  const { s, flags } = await session(ctx, p, version, false);
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'you> ' });
  let running: AbortController | undefined;
  // Ctrl-C stops the answer being written; at the prompt it ends the chat.
  rl.on('SIGINT', () => (running ? running.abort(new Error('stopped')) : rl.close()));
  let history: ChatMessage[] = [];
  ctx.out.line(`airq chat — ${s.model.name}; today is ${await s.today()}. Ask about air quality; Ctrl-D or "exit" ends.`);
  rl.prompt();
  try {
    for await (const line of rl) {
      const question = line.trim();
      if (question === 'exit' || question === 'quit') break;
      if (question) {
        running = new AbortController();
        let streamed = false;
        try {
          const r = await runAgent(question, {
            model: s.model,
            tools: s.tools,
            today: await s.today(),
            tracer: s.tracer,
            history,
            signal: running.signal,
            onText: (d) => {
              if (!streamed) io().stdout('airq> ');
              streamed = true;
              io().stdout(d);
            },
            ...flags,
          });
          ctx.out.line(streamed ? '' : `airq> ${r.answer}`);
          if (r.toolCalls.length) ctx.log.info(`tools: ${toolSummary(r)}`);
          history = r.messages.slice(-40);
        } catch (e) {
          ctx.out.line(running.signal.aborted ? '(stopped)' : `(error: ${e instanceof Error ? e.message : String(e)})`);
        }
        running = undefined;
      }
      rl.prompt();
    }
  } finally {
    rl.close();
    await s.close();
  }
}

export async function tracesCommand(argv: readonly string[]): Promise<void> {
  const p = parse(argv, { last: { type: 'string' }, id: { type: 'string' }, json: { type: 'boolean' } }, 'traces');
  const ctx = contextFrom(p);
  noMorePositionals(p, 0, 'traces');
  const last = option(Count, p.values.last ?? '5', 'last');
  const id = p.values.id === undefined ? undefined : option(z.string().uuid({ error: 'must be a trace id (a UUID)' }), p.values.id, 'id');
  // Spans that `airq ask` left queued are applied first, unless another process is writing the store.
  await applyQueueNow(ctx.storeDir, ctx.log).catch((e: unknown) => ctx.log.warn(`queued spans stay queued: ${errorMessage(e)}`));
  const store = await openForReading(ctx);
  try {
    const queued = queuedFiles(ctx.storeDir).length;
    if (queued > 0) ctx.log.info(`${queued} batch(es) of spans are queued: they show here once the store's writer has applied them`);
    const rows = await readTraces(store, { last, id });
    if (rows.length === 0) return ctx.out.line(id ? `no trace ${id}` : 'no traces yet: run `airq ask "..."`');
    if (p.values.json) {
      for (const r of rows) ctx.out.json({ ...r, attributes: JSON.parse(r.attributes as string) as unknown });
      return;
    }
    ctx.out.line(
      table(
        rows.map((r) => ({
          trace: String(r.trace_id).slice(0, 8),
          kind: r.kind,
          name: r.name,
          ms: (r.ms as number).toFixed(1),
          detail: summary(r),
        })),
      ),
    );
  } finally {
    await store.close();
  }
}

/** One line per span: the question and answer of a run, a tool's arguments, a model's tokens, a check's outcome. */
function summary(r: Record<string, unknown>): string {
  const a = JSON.parse(r.attributes as string) as Record<string, unknown>;
  const cut = (s: unknown) => (String(s).length > 90 ? `${String(s).slice(0, 90)}…` : String(s));
  const err = r.error ? ` ERROR ${cut(r.error)}` : '';
  switch (r.kind) {
    case 'run':
      return cut(`${a.question} → ${a.answer ?? ''}`) + err;
    case 'tool':
      return cut(JSON.stringify(a.arguments)) + (a.isError ? ' (isError)' : '') + err;
    case 'model':
      return `${a.model}${a.promptTokens !== undefined ? `, ${a.promptTokens}+${a.completionTokens} tokens` : ''}${a.retries ? `, ${a.retries} retries` : ''}${err}`;
    default:
      return `${a.check}: ${a.passed ? 'passed' : 'failed'}${a.detail ? ` (${cut(a.detail)})` : ''}${err}`;
  }
}
