// The builtin planner as a Model: plans tool calls for the last question, then writes the answer from their results; no LLM, no network.
import { HashingEmbedder, type Embedder } from '../../embed/index.js';
import type { AgentContext, ChatMessage, Model, ModelRequest, ModelResponse, ToolCallRequest } from '../types.js';
import { askBackAnswer, composeAnswer, declineAnswer, type CallResult } from './answer.js';
import { IntentClassifier } from './intents.js';
import { resolveDates } from './dates.js';
import { planQuestion, type DateResolver, type Topic } from './plan.js';

export const BUILTIN_MODEL_NAME = 'airq-builtin-planner';
/** How far back a chain of follow-ups ("and tomorrow?", "and in Tiantan?") is followed. */
const MAX_FOLLOW_UPS = 5;

export class BuiltinPlanner implements Model {
  readonly name = BUILTIN_MODEL_NAME;

  private constructor(
    private readonly classifier: IntentClassifier,
    private readonly dates: DateResolver,
  ) {}

  /**
   * The hashing embedder keeps the planner deterministic and offline; any Embedder works. `dates` replaces the
   * date resolver (the eval gate's test plants a broken one to prove a regression fails CI).
   */
  static async create(embedder: Embedder = new HashingEmbedder(), options: { dates?: DateResolver } = {}): Promise<BuiltinPlanner> {
    return new BuiltinPlanner(await IntentClassifier.create(embedder), options.dates ?? resolveDates);
  }

  async respond({ messages, context }: ModelRequest): Promise<ModelResponse> {
    const last = messages.findLastIndex((m) => m.role === 'user');
    if (last < 0) return this.final(declineAnswer(context));
    const question = withAskedBack(messages, last, askBackAnswer(context));
    const plan = await planQuestion(question, context, this.classifier, await this.topicBefore(messages, last, context), this.dates);
    if (plan.kind === 'decline' || (plan.kind === 'calls' && plan.calls.length === 0)) return this.final(declineAnswer(context));
    if (plan.kind === 'ask_back') return this.final(askBackAnswer(context));

    const turn = messages.slice(last + 1);
    const asked = turn.find((m): m is Extract<ChatMessage, { role: 'assistant' }> => m.role === 'assistant' && (m.toolCalls?.length ?? 0) > 0);
    if (!asked) {
      const calls: ToolCallRequest[] = plan.calls.map((c, i) => ({ id: `call_${i + 1}`, name: c.name, arguments: JSON.stringify(c.args) }));
      return { turn: { type: 'tool_calls', calls }, model: this.name };
    }
    const results: CallResult[] = asked.toolCalls!.map((tc) => {
      const reply = turn.find((m): m is Extract<ChatMessage, { role: 'tool' }> => m.role === 'tool' && m.toolCallId === tc.id);
      const call = { name: tc.name, args: JSON.parse(tc.arguments) as Record<string, unknown> };
      if (!reply || reply.isError) return { call, ok: false, error: reply?.content ?? 'no result' };
      return { call, ok: true, data: JSON.parse(reply.content) as Record<string, unknown> };
    });
    return this.final(composeAnswer(plan, results));
  }

  /** The topic of the chat before the user message at `index`: what a follow-up such as "and on Friday?" refers to. */
  private async topicBefore(messages: ChatMessage[], index: number, context: AgentContext, depth = 0): Promise<Topic | undefined> {
    const earlier = messages.findLastIndex((m, i) => i < index && m.role === 'user');
    if (earlier < 0 || depth >= MAX_FOLLOW_UPS) return undefined;
    const question = withAskedBack(messages, earlier, askBackAnswer(context));
    const plan = await planQuestion(question, context, this.classifier, await this.topicBefore(messages, earlier, context, depth + 1), this.dates);
    return plan.kind === 'calls' ? plan.topic : undefined;
  }

  private final(text: string): ModelResponse {
    return { turn: { type: 'final', text }, model: this.name };
  }
}

/** After "Which place do you mean?", the reply completes the question before it ("Dongsi" → "Will it be OK tomorrow? Dongsi"). */
function withAskedBack(messages: ChatMessage[], last: number, askBack: string): string {
  const question = (messages[last] as { content: string }).content;
  const before = messages[last - 1];
  const prefix = askBack.slice(0, askBack.indexOf('?') + 1);
  if (before?.role !== 'assistant' || !before.content?.startsWith(prefix)) return question;
  const earlier = messages.slice(0, last - 1).findLast((m) => m.role === 'user');
  return earlier ? `${(earlier as { content: string }).content} ${question}` : question;
}
