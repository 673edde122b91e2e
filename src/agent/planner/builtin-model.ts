// The builtin planner as a Model: one plan per question, its tool calls, then the answer from their results; no LLM, no network.
import { HashingEmbedder, type Embedder } from '../../embed/index.js';
import type { AgentContext, ChatMessage, Model, ModelRequest, ModelResponse, ToolCallRequest, ToolSpec } from '../types.js';
import { askBackAnswer, composeAnswer, declineAnswer, missingToolAnswer, type CallResult } from './answer.js';
import { pendingQuestion, topicBefore, type Topic } from './conversation.js';
import { IntentClassifier } from './intents.js';
import { resolveDates } from './dates.js';
import { onlyNames, planQuestion, type DateResolver, type Plan } from './plan.js';
import { findPlaces } from './places.js';
import { parseJsonObject } from '../json.js';

export const BUILTIN_MODEL_NAME = 'airq-builtin-planner';
/** Plans kept so that the answer turn uses the plan the tool turn made (a chat has a handful of questions in flight). */
const PLAN_CACHE = 256;
/** How far back a chain of follow-ups without tool calls in the history ("and tomorrow?", "and in Tiantan?") is followed. */
const MAX_FOLLOW_UPS = 5;

export class BuiltinPlanner implements Model {
  readonly name = BUILTIN_MODEL_NAME;
  private readonly plans = new Map<string, Promise<Plan>>();

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

  async respond({ messages, context, tools, signal }: ModelRequest): Promise<ModelResponse> {
    signal.throwIfAborted();
    const last = messages.findLastIndex((m) => m.role === 'user');
    if (last < 0) return this.final(declineAnswer(context));
    const plan = await this.planFor(messages, last, context);
    if (plan.kind === 'decline' || (plan.kind === 'calls' && plan.calls.length === 0)) return this.final(declineAnswer(context));
    if (plan.kind === 'ask_back') return this.final(askBackAnswer(context));

    const turn = messages.slice(last + 1);
    const asked = turn.find((m): m is Extract<ChatMessage, { role: 'assistant' }> => m.role === 'assistant' && (m.toolCalls?.length ?? 0) > 0);
    if (!asked) {
      // Only before the tool turn: a later request (a regeneration) may come without tools and still has its results.
      const missing = plan.calls.find((c) => !tools.some((t) => t.name === c.name));
      if (missing) return this.final(missingToolAnswer(missing.name));
      const calls: ToolCallRequest[] = plan.calls.map((c, i) => ({
        id: `call_${i + 1}`,
        name: c.name,
        arguments: JSON.stringify(checked(c.args, c.name, tools)),
      }));
      return { turn: { type: 'tool_calls', calls }, model: this.name };
    }
    const results: CallResult[] = asked.toolCalls!.map((tc) => {
      const reply = turn.find((m): m is Extract<ChatMessage, { role: 'tool' }> => m.role === 'tool' && m.toolCallId === tc.id);
      const call = { name: tc.name, args: parseJsonObject(tc.arguments) ?? {} };
      if (!reply || reply.isError) return { call, ok: false, error: reply?.content ?? 'no result' };
      return { call, ok: true, data: parseJsonObject(reply.content) ?? {} };
    });
    return this.final(composeAnswer(plan, results, context));
  }

  /** The plan of the user message at `index`, made once: the tool turn and the answer turn share it. */
  private async planFor(messages: ChatMessage[], index: number, context: AgentContext, depth = 0): Promise<Plan> {
    const asked = (messages[index] as { content: string }).content;
    const pending = pendingQuestion(messages, index, askBackAnswer(context).split('?')[0]!);
    // After "Which place do you mean?", a bare place completes the question; a whole new question stands on its own.
    const question = pending !== undefined && this.isFragment(asked, context) ? `${pending} ${asked}` : asked;
    const previous = pending === undefined ? await this.topicOf(messages, index, context, depth) : undefined;
    const key = JSON.stringify([question, context.today, previous, context.locations.map((l) => l.id).sort()]);
    let plan = this.plans.get(key);
    if (!plan) {
      plan = planQuestion(question, context, this.classifier, previous, this.dates);
      this.plans.set(key, plan);
      plan.catch(() => this.plans.delete(key));
      if (this.plans.size > PLAN_CACHE) this.plans.delete(this.plans.keys().next().value!);
    }
    return plan;
  }

  /**
   * What the chat was about before the user message at `index`: the tool calls of the last turn that made some, or,
   * when the history holds only questions and answers (the web page sends those), the plan of the question before.
   */
  private async topicOf(messages: ChatMessage[], index: number, context: AgentContext, depth: number): Promise<Topic | undefined> {
    const fromCalls = topicBefore(messages, index, context.locations);
    if (fromCalls || depth >= MAX_FOLLOW_UPS) return fromCalls;
    const earlier = messages.findLastIndex((m, i) => i < index && m.role === 'user');
    if (earlier < 0) return undefined;
    const plan = await this.planFor(messages, earlier, context, depth + 1);
    return plan.kind === 'calls' ? plan.topic : undefined;
  }

  /** A reply that only names a place (and perhaps a day): "Dongsi", "in Tiantan please", "Shunyi tomorrow". */
  private isFragment(text: string, context: AgentContext): boolean {
    const spans = findPlaces(text, context.locations).map((p) => ({ ...p, as: 'place' }));
    const dates = this.dates(text, context.today, 'any').map((r) => ({ ...r, as: 'date' }));
    return spans.length > 0 && onlyNames(text, [...spans, ...dates]);
  }

  private final(text: string): ModelResponse {
    return { turn: { type: 'final', text }, model: this.name };
  }
}

/** Arguments limited to those the tool's own input schema declares: a planned argument a server does not take is left out. */
function checked(args: Record<string, unknown>, name: string, tools: ToolSpec[]): Record<string, unknown> {
  const props = (tools.find((t) => t.name === name)?.inputSchema.properties ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(args).filter(([k]) => k in props));
}
