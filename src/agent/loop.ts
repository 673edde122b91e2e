// The agent loop: ask the model, run the tool calls it asks for (validated, in parallel, with timeouts), feed results back, until an answer or maxSteps.
import { checkInput } from './guardrails.js';
import type { McpTools } from './mcp-tools.js';
import { weekdayName } from './planner/dates.js';
import { answerText, fill, readPromptFile } from './prompt-files.js';
import { checkOutput, passed, problems, regenerationNote, withCorrections, type OutputCheck } from './output-check.js';
import { checkArguments } from './tool-arguments.js';
import { clip, Trace, Tracer } from './tracing.js';
import type { AgentContext, ChatMessage, Model, ModelResponse, ToolCallRequest, ToolSpec } from './types.js';

import { DEFAULT_MAX_STEPS } from './limits.js';

export { DEFAULT_MAX_STEPS };
export const DEFAULT_TOOL_TIMEOUT_MS = 30_000;

export interface AgentOptions {
  model: Model;
  tools: McpTools;
  today: string;
  maxSteps?: number;
  toolTimeoutMs?: number;
  tracer?: Tracer;
  signal?: AbortSignal;
  /** The final answer as it streams, when the model streams. */
  onText?: (delta: string) => void;
  /** Each tool call as it finishes (a web page shows them while the answer is being written). */
  onToolCall?: (call: AgentToolCall) => void;
  /** Earlier turns of a chat (without the system prompt). */
  history?: ChatMessage[];
}

export interface AgentToolCall {
  name: string;
  arguments: unknown;
  ms: number;
  error?: string;
}

export interface AgentResult {
  answer: string;
  toolCalls: AgentToolCall[];
  traceId: string;
  ms: number;
  steps: number;
  stopped: 'answer' | 'max_steps' | 'input_rejected';
  /** True when the answer still had numbers no tool gave after one regeneration. */
  flagged: boolean;
  ungrounded: string[];
  /** Health claims the answer still made against the facts after one regeneration (each followed by a correction in the answer). */
  contradicted: string[];
  usage: { promptTokens: number; completionTokens: number };
  /** The conversation without the system prompt, to pass as history for the next turn. */
  messages: ChatMessage[];
}

export function systemPrompt(ctx: AgentContext): string {
  const text = readPromptFile('system.md');
  const body = text.slice(text.indexOf('\n---\n') + 5).trim();
  const places = ctx.locations.map((l) => `${l.id}: ${[l.name, ...l.aliases].join(', ')}`).join('; ') || '(none listed)';
  return fill(body, { today: ctx.today, weekday: ctx.weekday, locations: places });
}

const parseArgs = (raw: string): unknown => {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
};

export async function runAgent(question: string, options: AgentOptions): Promise<AgentResult> {
  const { model, tools, today } = options;
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const t0 = performance.now();
  const trace = new Trace(question, model.name);
  const toolCalls: AgentToolCall[] = [];
  const usage = { promptTokens: 0, completionTokens: 0 };
  const history = (options.history ?? []).filter((m) => m.role !== 'system');
  const done = (answer: string, stopped: AgentResult['stopped'], steps: number, rest: Partial<AgentResult> = {}): AgentResult => {
    trace.finish({ answer, steps, flagged: rest.flagged ?? false });
    options.tracer?.export(trace);
    return {
      answer,
      toolCalls,
      traceId: trace.id,
      ms: performance.now() - t0,
      steps,
      stopped,
      flagged: false,
      ungrounded: [],
      contradicted: [],
      usage,
      messages: [],
      ...rest,
    };
  };

  const input = checkInput(question);
  await trace.withSpan('guardrail', 'input check', { check: 'input' }, async (a) => {
    a.passed = input.ok;
    if (!input.ok) a.detail = input.reason;
  });
  if (!input.ok) return done(input.reason, 'input_rejected', 0, { messages: history });

  try {
    const [specs, locations] = await Promise.all([tools.list(), tools.locations()]);
    const context: AgentContext = { today, weekday: weekdayName(today), locations };
    const messages: ChatMessage[] = [{ role: 'system', content: systemPrompt(context) }, ...history, { role: 'user', content: input.question }];
    // What an answer may cite: the question, the names of the places (which may hold numbers: "Hornsgatan 108"), then every tool result.
    const sources: string[] = [input.question, locations.map((l) => l.name).join('\n')];
    const ask = (step: string, toolList: ToolSpec[]) =>
      trace.withSpan('model', step, { model: model.name, prompt: clip(JSON.stringify(messages)) }, async (a): Promise<ModelResponse> => {
        const r = await model.respond({ messages, tools: toolList, context, signal: options.signal ?? new AbortController().signal, onText: options.onText });
        Object.assign(a, {
          model: r.model,
          response: clip(JSON.stringify(r.turn)),
          promptTokens: r.usage?.promptTokens,
          completionTokens: r.usage?.completionTokens,
          retries: r.retries,
        });
        usage.promptTokens += r.usage?.promptTokens ?? 0;
        usage.completionTokens += r.usage?.completionTokens ?? 0;
        return r;
      });

    let answer: string | undefined;
    let steps = 0;
    while (steps < maxSteps && answer === undefined) {
      steps++;
      options.signal?.throwIfAborted();
      const r = await ask(`model call ${steps}`, specs);
      if (r.turn.type === 'final') {
        answer = r.turn.text;
        break;
      }
      messages.push({ role: 'assistant', content: r.turn.text ?? null, toolCalls: r.turn.calls });
      // The days and places the calls asked for may be named in the answer ("I could not get the forecast for 2024-07-01").
      for (const c of r.turn.calls) sources.push(c.arguments);
      const outcomes = await Promise.all(r.turn.calls.map((c) => runCall(c, specs, options, trace, toolCalls)));
      r.turn.calls.forEach((c, i) => {
        const o = outcomes[i]!;
        messages.push({ role: 'tool', toolCallId: c.id, name: c.name, content: o.text, isError: o.isError });
        // An error is a tool's output too ("data exists from 2013-03-01 to 2017-02-21"): an answer may cite it.
        sources.push(o.text);
      });
    }
    if (answer === undefined) {
      const made = toolCalls.map((c) => `${c.name}${c.error ? ' (failed)' : ''}`).join(', ');
      answer = answerText('partial', { made: made ? ` Tools called: ${made}.` : '' });
      return done(answer, 'max_steps', steps, { messages: messages.slice(1) });
    }

    // Output guardrail: numbers and dates from this run's tool results, health claims as the facts say; one regeneration, then a flag.
    const checked = await guardOutput(answer, sources, { ask, messages, tools, trace });
    answer = withCorrections(checked.answer, checked.check.contradicts);
    messages.push({ role: 'assistant', content: answer });
    const { check } = checked;
    return done(answer, 'answer', steps, {
      flagged: !check.grounded,
      ungrounded: check.ungrounded,
      contradicted: check.contradicts.map((c) => c.says),
      messages: messages.slice(1),
    });
  } catch (e) {
    trace.finish({}, e instanceof Error ? e.message : String(e));
    options.tracer?.export(trace);
    throw e;
  }
}

interface GuardDeps {
  ask: (step: string, tools: ToolSpec[]) => Promise<ModelResponse>;
  messages: ChatMessage[];
  tools: McpTools;
  trace: Trace;
}

/** Checks the answer; when it fails, asks once more with what was wrong and keeps the better of the two. */
async function guardOutput(first: string, sources: readonly string[], deps: GuardDeps): Promise<{ answer: string; check: OutputCheck }> {
  const facts = () => deps.tools.healthFacts();
  const record = (name: string, c: OutputCheck) =>
    deps.trace.withSpan('guardrail', name, { check: 'grounded' }, async (a) => {
      a.passed = passed(c);
      a.detail = [...c.ungrounded, ...c.contradicts.map((x) => x.says)].join(', ');
    });
  let answer = first;
  let check = await checkOutput(answer, sources, facts);
  await record('grounding check', check);
  if (passed(check)) return { answer, check };
  deps.messages.push({ role: 'assistant', content: answer }, { role: 'system', content: regenerationNote(check) });
  const again = await deps.ask('model call (regenerate)', []);
  deps.messages.splice(-2, 2);
  if (again.turn.type === 'final') {
    const second = await checkOutput(again.turn.text, sources, facts);
    if (problems(second) < problems(check)) [answer, check] = [again.turn.text, second];
  }
  await record('grounding check after regeneration', check);
  return { answer, check };
}

/** One tool call: unknown tools and invalid arguments go back to the model as errors; the tool only sees valid calls. */
async function runCall(
  c: ToolCallRequest,
  specs: ToolSpec[],
  options: AgentOptions,
  trace: Trace,
  record: AgentToolCall[],
): Promise<{ text: string; isError: boolean }> {
  const t0 = performance.now();
  const entry: AgentToolCall = { name: c.name, arguments: parseArgs(c.arguments), ms: 0 };
  record.push(entry);
  try {
    return await trace.withSpan('tool', c.name, { tool: c.name, arguments: entry.arguments }, async (a) => {
      const spec = specs.find((s) => s.name === c.name);
      if (!spec) throw new Error(`there is no tool "${c.name}"; the tools are: ${specs.map((s) => s.name).join(', ')}`);
      const checked = checkArguments(spec, c.arguments);
      if (!checked.ok) throw new Error(checked.error);
      const out = await options.tools.call(c.name, checked.args, { timeoutMs: options.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS, signal: options.signal });
      a.resultChars = out.text.length;
      a.isError = out.isError;
      if (out.isError) entry.error = out.text.split('\n')[0];
      return out;
    });
  } catch (e) {
    if (options.signal?.aborted) throw e;
    entry.error = e instanceof Error ? e.message : String(e);
    return { text: entry.error, isError: true };
  } finally {
    entry.ms = performance.now() - t0;
    options.onToolCall?.(entry);
  }
}
