// POST /api/chat: a question (and the turns before it) in, the agent's tool calls and answer out as server-sent events.
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { AgentResult, AgentToolCall } from '../agent/loop.js';
import type { ChatMessage } from '../agent/types.js';
import { errorMessage } from '../core/errors.js';

/** What the page needs of an agent; `airq serve` wires the real one (model, MCP tools, tracing). */
export interface ChatAgent {
  ask(
    question: string,
    history: ChatMessage[],
    events: { onText(delta: string): void; onToolCall(call: AgentToolCall): void; signal: AbortSignal },
  ): Promise<AgentResult>;
}

export const ChatRequest = z
  .object({
    question: z.string().trim().min(1, 'ask a question').max(2000, 'ask in at most 2,000 characters'),
    history: z
      .array(z.object({ question: z.string().max(2000), answer: z.string().max(20_000) }).strict())
      .max(20, 'send at most the last 20 turns')
      .default([]),
  })
  .strict();
export type ChatRequest = z.infer<typeof ChatRequest>;

const round = (ms: number) => Math.round(ms * 10) / 10;
const toolEvent = (c: AgentToolCall) => ({ name: c.name, arguments: c.arguments, ms: round(c.ms), ...(c.error ? { error: c.error } : {}) });

/** Streams one answer: `tool` events as calls finish, `text` deltas, then `done` (or `error`). The client going away cancels the run. */
export async function streamChat(res: ServerResponse, body: ChatRequest, agent: ChatAgent): Promise<void> {
  // No Connection header: node:http keeps the connection as the client asked (a `Connection: close` is honoured).
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
  res.flushHeaders(); // the page knows its question was taken before the first event
  const send = (event: string, data: unknown) => {
    if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableEnded) abort.abort(new Error('the page went away'));
  });
  const history: ChatMessage[] = body.history.flatMap((t) => [
    { role: 'user' as const, content: t.question },
    { role: 'assistant' as const, content: t.answer },
  ]);
  let streamed = false;
  try {
    const r = await agent.ask(body.question, history, {
      onText: (delta) => {
        streamed = true;
        send('text', { delta });
      },
      onToolCall: (c) => send('tool', toolEvent(c)),
      signal: abort.signal,
    });
    // A model that does not stream (the builtin planner) sends its answer whole.
    if (!streamed) send('text', { delta: r.answer });
    send('done', { answer: r.answer, tool_calls: r.toolCalls.map(toolEvent), trace_id: r.traceId, ms: round(r.ms), flagged: r.flagged });
  } catch (e) {
    if (!abort.signal.aborted) send('error', { message: errorMessage(e).split('\n')[0] });
  } finally {
    res.end();
  }
}
