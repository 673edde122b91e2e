// What an OpenAI-compatible chat-completions server answers, for replay servers that stand in for an LLM.
import type { Scripted } from './replay-server.js';

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
