// What an OpenAI-compatible chat-completions server answers, for replay servers that stand in for an LLM: completions, server-sent chunks, and a scripted LLM that reads each request.
import type { ReplayServer, Scripted } from './replay-server.js';

/** One non-streamed chat completion carrying `message` (content and/or tool_calls). */
export function chatCompletion(message: Record<string, unknown>, options: { model?: string; promptTokens?: number; completionTokens?: number } = {}): Scripted {
  const prompt = options.promptTokens ?? 100;
  const completion = options.completionTokens ?? 20;
  return {
    body: {
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: 0,
      model: options.model ?? 'scripted-model',
      choices: [
        { index: 0, message: { role: 'assistant', refusal: null, ...message }, finish_reason: message.tool_calls ? 'tool_calls' : 'stop', logprobs: null },
      ],
      usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
    },
  };
}

/** What a scripted LLM says in one turn: text, tool calls (arguments as an object, or a string sent as is), or both. */
export interface LlmReply {
  content?: string;
  calls?: [name: string, args: Record<string, unknown> | string][];
}

const wireCalls = (calls: NonNullable<LlmReply['calls']>) =>
  calls.map(([name, args], i) => ({
    id: `call_${i}`,
    type: 'function',
    function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) },
  }));

/** The reply as one chat.completion. */
export const completion = (reply: LlmReply): Scripted =>
  chatCompletion({ content: reply.content ?? null, ...(reply.calls?.length ? { tool_calls: wireCalls(reply.calls) } : {}) });

const chunk = (choices: unknown[], extra = {}) => ({
  id: 'chatcmpl-s',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'scripted-model',
  choices,
  ...extra,
});

/** Deltas as server-sent chat.completion.chunk events, then a finish chunk (when given), a usage chunk and [DONE]. */
export function streamedDeltas(deltas: Record<string, unknown>[], finish?: 'stop' | 'tool_calls'): Scripted {
  const events = [
    ...deltas.map((d) => chunk([{ index: 0, delta: d, finish_reason: null }])),
    ...(finish ? [chunk([{ index: 0, delta: {}, finish_reason: finish }])] : []),
    chunk([], { usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 } }),
  ];
  return { headers: { 'content-type': 'text/event-stream' }, body: events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('') + 'data: [DONE]\n\n' };
}

/**
 * The reply as server-sent chat.completion.chunk events, as OpenAI streams them: a role chunk, the content in two deltas,
 * each tool call's name and arguments in fragments, a finish chunk, a usage chunk, then [DONE].
 */
export function streamedCompletion(reply: LlmReply): Scripted {
  const text = reply.content ?? '';
  const half = Math.ceil(text.length / 2);
  const deltas = [
    { role: 'assistant', content: text ? text.slice(0, half) : null },
    ...(text.length > half ? [{ content: text.slice(half) }] : []),
    ...wireCalls(reply.calls ?? []).flatMap((c, index) => {
      const cut = Math.ceil(c.function.arguments.length / 2);
      return [
        { tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.function.name, arguments: c.function.arguments.slice(0, cut) } }] },
        { tool_calls: [{ index, function: { arguments: c.function.arguments.slice(cut) } }] },
      ];
    }),
  ];
  return streamedDeltas(deltas, reply.calls?.length ? 'tool_calls' : 'stop');
}

/** A chat-completions request body as a client sends it. */
export interface ChatRequest {
  model: string;
  stream?: boolean;
  messages: { role: string; content: string | null; tool_call_id?: string; tool_calls?: { id: string; function: { name: string; arguments: string } }[] }[];
  tools?: { type: string; function: { name: string; description?: string; parameters: Record<string, unknown>; strict?: boolean } }[];
}

export const CHAT_PATH = '/v1/chat/completions';

/**
 * A scripted LLM on `server`: each request to /v1/chat/completions is answered by `decide(request)`, in the wire format the
 * request asked for (server-sent chunks when it streams). `decide` may also return a raw Scripted answer (an error, a hold).
 */
export function scriptedLlm(server: ReplayServer, decide: (request: ChatRequest, index: number) => LlmReply | Scripted): void {
  let index = 0;
  server.script(CHAT_PATH, [
    ({ body }) => {
      const request = JSON.parse(body) as ChatRequest;
      const r = decide(request, index++);
      if ('status' in r || 'hold' in r || 'body' in r) return r as Scripted;
      return request.stream ? streamedCompletion(r as LlmReply) : completion(r as LlmReply);
    },
  ]);
}
