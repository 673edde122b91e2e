// One contract for every Model, run against the builtin planner and OpenAIModel (a scripted OpenAI-compatible server, JSON and streamed), with airq's real MCP tools in process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPrompt } from '../../src/agent/loop.js';
import type { McpTools } from '../../src/agent/mcp-tools.js';
import { fromData, OpenAIModel } from '../../src/agent/openai-model.js';
import { BuiltinPlanner } from '../../src/agent/planner/builtin-model.js';
import { checkArguments } from '../../src/agent/tool-arguments.js';
import type { AgentContext, ChatMessage, Model, ModelRequest, ToolCallRequest, ToolSpec } from '../../src/agent/types.js';
import { inProcessTools } from '../helpers/agent-tools.js';
import { scriptedLlm, type ChatRequest, type LlmReply } from '../helpers/openai-replies.js';
import { replayServer } from '../helpers/replay-server.js';
import { copyStoreForFile, removeStoreCopy, syntheticStore } from '../helpers/stores.js';

const TODAY = '2024-06-30';
/** Ten days on, the store's forecasts (issued by 2024-06-30) cover no day ahead: the forecast tool answers with an error. */
const STALE_TODAY = '2024-07-10';
const QUESTION = 'Will the air be OK for a run in Synthetic City tomorrow?';

let storeDir: string;
let fresh: McpTools;
let stale: McpTools;
let specs: ToolSpec[];
let planner: BuiltinPlanner;

beforeAll(async () => {
  storeDir = copyStoreForFile(syntheticStore());
  [fresh, stale, planner] = await Promise.all([inProcessTools(storeDir, TODAY), inProcessTools(storeDir, STALE_TODAY), BuiltinPlanner.create()]);
  specs = await fresh.list();
}, 60_000);
afterAll(async () => {
  await Promise.all([fresh.close(), stale.close()]);
  removeStoreCopy(storeDir);
});

const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * The LLM behind the scripted server, for a given today: it asks for tomorrow's forecast the way a strict model writes it
 * (every property, null for those it leaves out), then answers from the tool result it was sent.
 */
const llmFor =
  (today: string) =>
  (request: ChatRequest): LlmReply => {
    const last = request.messages.at(-1)!;
    if (!request.messages.some((m) => m.role === 'user')) return { content: 'Ask me about the air in a place you name, on a day.' };
    if (last.role === 'user') {
      const tool = request.tools!.find((t) => t.function.name === 'get_air_quality_forecast')!;
      const nulls = tool.function.strict ? Object.fromEntries(Object.keys(tool.function.parameters.properties as object).map((k) => [k, null])) : {};
      return { calls: [['get_air_quality_forecast', { ...nulls, location: 'synthetic-city', start_date: nextDay(today) }]] };
    }
    const result = request.messages.filter((m) => m.role === 'tool').map((m) => fromData(m.content ?? ''));
    const day = (JSON.parse(result[0]!.startsWith('{') ? result[0]! : '{}') as { days?: { date: string; pm25: number; category: string }[] }).days?.[0];
    return { content: day ? `On ${day.date} Synthetic City is forecast at ${day.pm25} µg/m³ (${day.category}).` : 'There is no forecast for that day yet.' };
  };

interface Harness {
  name: string;
  model(today: string): Promise<Model>;
  /** The test passes onText (the OpenAI model then streams). */
  onText: boolean;
  /** It streams its final answer when given onText. */
  streams: boolean;
}

async function openAI(today: string): Promise<Model> {
  const llm = await replayServer();
  scriptedLlm(llm, llmFor(today));
  return new OpenAIModel({ apiKey: 'test-key', baseURL: `${llm.url}/v1`, model: 'scripted-model', retryBaseMs: 1 });
}

const harnesses: Harness[] = [
  { name: 'builtin planner', model: async () => planner, onText: true, streams: false },
  { name: 'OpenAIModel (JSON)', model: openAI, onText: false, streams: false },
  { name: 'OpenAIModel (streamed)', model: openAI, onText: true, streams: true },
];

const contextFor = async (tools: McpTools, today: string): Promise<AgentContext> => ({
  today,
  weekday: new Date(`${today}T12:00:00Z`).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' }),
  locations: await tools.locations(),
});

/** One conversation as the loop holds it, asked of `model` step by step. */
async function conversation(h: Harness, tools: McpTools, today: string) {
  const model = await h.model(today);
  const context = await contextFor(tools, today);
  const messages: ChatMessage[] = [
    { role: 'system', content: systemPrompt(context) },
    { role: 'user', content: QUESTION },
  ];
  const deltas: string[] = [];
  const ask = (over: Partial<ModelRequest> = {}) =>
    model.respond({ messages, tools: specs, context, signal: new AbortController().signal, ...(h.onText ? { onText: (d) => deltas.push(d) } : {}), ...over });
  /** Validates the calls, runs them on the tools and appends them and their results, as the loop does. */
  const runCalls = async (calls: ToolCallRequest[]) => {
    messages.push({ role: 'assistant', content: null, toolCalls: calls });
    for (const c of calls) {
      const checked = checkArguments(
        specs.find((s) => s.name === c.name)!,
        c.arguments,
      );
      if (!checked.ok) throw new Error(checked.error);
      const out = await tools.call(c.name, checked.args, { timeoutMs: 30_000 });
      messages.push({ role: 'tool', toolCallId: c.id, name: c.name, content: out.text, isError: out.isError });
    }
    return messages.filter((m) => m.role === 'tool');
  };
  return { model, context, messages, deltas, ask, runCalls };
}

/** What an answer for an end user must not contain: a CLI command, markdown code, or a tool's name. */
const leaks = (text: string) =>
  [/\bairq /.exec(text)?.[0], text.includes('`') ? '`' : undefined, ...specs.map((s) => s.name).filter((n) => text.includes(n))].filter(Boolean);

describe.each(harnesses)('model contract: $name', (h) => {
  it('answers a question naming a place and a day with calls of listed tools whose arguments validate', async () => {
    const c = await conversation(h, fresh, TODAY);
    const first = await c.ask();
    expect(first.turn.type).toBe('tool_calls');
    if (first.turn.type !== 'tool_calls') return;
    expect(first.turn.calls.length).toBeGreaterThan(0);
    for (const call of first.turn.calls) {
      const spec = specs.find((s) => s.name === call.name);
      expect(spec, call.name).toBeDefined();
      expect(checkArguments(spec!, call.arguments)).toMatchObject({ ok: true });
    }
    const args = first.turn.calls.map((call) => JSON.parse(call.arguments) as Record<string, unknown>);
    expect(args.map((a) => a.location)).toContain('synthetic-city');
    expect(args.flatMap((a) => Object.values(a))).toContain(nextDay(TODAY));
  });

  it('gives a final answer after the tool results, streamed exactly when it streams', async () => {
    const c = await conversation(h, fresh, TODAY);
    const first = await c.ask();
    if (first.turn.type !== 'tool_calls') throw new Error('expected tool calls first');
    const results = await c.runCalls(first.turn.calls);
    expect(results.every((r) => r.role === 'tool' && !r.isError)).toBe(true);
    const second = await c.ask();
    expect(second.turn.type).toBe('final');
    const text = second.turn.type === 'final' ? second.turn.text : '';
    expect(text).toContain(nextDay(TODAY));
    expect(text).toMatch(/µg\/m³/);
    if (h.streams) expect(c.deltas.length).toBeGreaterThan(1);
    if (c.deltas.length > 0) expect(c.deltas.join('')).toBe(text);
  });

  it('after a tool error, answers an end user without CLI commands, code or tool names', async () => {
    const c = await conversation(h, stale, STALE_TODAY);
    const first = await c.ask();
    if (first.turn.type !== 'tool_calls') throw new Error('expected tool calls first');
    const results = await c.runCalls(first.turn.calls);
    expect(results.some((r) => r.role === 'tool' && r.isError)).toBe(true); // the scenario: a real tool error
    const second = await c.ask();
    expect(second.turn.type).toBe('final');
    const text = second.turn.type === 'final' ? second.turn.text : '';
    expect(text.trim()).not.toBe('');
    expect(leaks(text)).toEqual([]); // airq's tool errors say "call get_air_quality_history", "run `airq forecast`": for the model, not for people
  });

  it('stops when its signal is aborted', async () => {
    const c = await conversation(h, fresh, TODAY);
    const reply = c.ask({ signal: AbortSignal.abort(new Error('cancelled by the user')) });
    await expect(reply).rejects.toThrow(/cancel|abort/i);
  });

  it('answers with a final text when there is no user message', async () => {
    const c = await conversation(h, fresh, TODAY);
    const r = await c.ask({ messages: [c.messages[0]!] });
    expect(r.turn.type).toBe('final');
    expect(r.turn.type === 'final' && r.turn.text.trim().length).toBeGreaterThan(0);
  });
});
