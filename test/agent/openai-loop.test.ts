// The agent loop on the openai path: a scripted OpenAI-compatible server as the LLM, airq's real MCP server (in process) as the tools.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runAgent, type AgentOptions } from '../../src/agent/loop.js';
import type { McpTools } from '../../src/agent/mcp-tools.js';
import { fromData, OpenAIModel, type OpenAIModelOptions } from '../../src/agent/openai-model.js';
import { Tracer, type Span } from '../../src/agent/tracing.js';
import { inProcessTools, slowTools } from '../helpers/agent-tools.js';
import { copyStoreForFile, removeStoreCopy, syntheticStore } from '../helpers/stores.js';
import { chatCompletion, streamedDeltas } from '../helpers/openai-replies.js';
import { replayServer, type ReplayServer, type Scripted } from '../helpers/replay-server.js';

const TODAY = '2024-06-30';
const PATH = '/v1/chat/completions';
let storeDir: string;
let tools: McpTools;
const opened: McpTools[] = [];

beforeAll(async () => {
  storeDir = copyStoreForFile(syntheticStore());
  tools = await inProcessTools(storeDir, TODAY);
}, 60_000);
afterAll(async () => {
  await tools.close();
  removeStoreCopy(storeDir);
});
afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
});

// ---- what an OpenAI-compatible server sends ----

const say = (text: string) => chatCompletion({ content: text });
/** A turn of tool calls; arguments given as a string are sent as is (to script malformed JSON). */
const callTools = (...calls: [string, Record<string, unknown> | string][]) =>
  chatCompletion({
    content: null,
    tool_calls: calls.map(([name, args], i) => ({
      id: `call_${i}`,
      type: 'function',
      function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) },
    })),
  });

/** A streamed response as server-sent events: chunks of deltas, a usage chunk, then [DONE]. */
const streamed = (deltas: Record<string, unknown>[]): Scripted => streamedDeltas(deltas);

interface Sent {
  messages: { role: string; content: string | null; tool_call_id?: string; tool_calls?: unknown[] }[];
  tools?: { function: { name: string } }[];
}
const sent = (llm: ReplayServer): Sent[] => llm.bodies.map((b) => JSON.parse(b) as Sent);

async function setup(script: Scripted[], modelOptions: Partial<OpenAIModelOptions> = {}) {
  const llm = await replayServer();
  llm.script(PATH, script);
  const model = new OpenAIModel({ apiKey: 'test-key', baseURL: `${llm.url}/v1`, model: 'scripted-model', retryBaseMs: 1, ...modelOptions });
  const spans: Span[] = [];
  const tracer = new Tracer({ export: async (s) => void spans.push(...s) });
  const run = async (question: string, options: Partial<AgentOptions> = {}) => {
    const r = await runAgent(question, { model, tools, today: TODAY, tracer, ...options });
    await tracer.flush();
    return r;
  };
  return { llm, run, spans };
}

/** The forecast for tomorrow, read through the same tool, to script answers that cite it. */
async function tomorrow() {
  const out = await tools.call('get_air_quality_forecast', { location: 'synthetic-city', start_date: '2024-07-01' }, { timeoutMs: 10_000 });
  return (JSON.parse(out.text) as { days: { pm25: number; category: string }[] }).days[0]!;
}

describe('agent loop, openai path', () => {
  it('makes one tool call, feeds the result back and returns a grounded answer with token usage in the trace', async () => {
    const day = await tomorrow();
    const answer = `Tomorrow (2024-07-01) PM2.5 in Synthetic City is forecast at ${day.pm25} µg/m³, ${day.category}.`;
    const { llm, run, spans } = await setup([callTools(['get_air_quality_forecast', { location: 'synthetic-city', start_date: '2024-07-01' }]), say(answer)]);

    const r = await run('Will the air be OK for a run tomorrow in Synthetic City?');
    expect(r).toMatchObject({ answer, stopped: 'answer', steps: 2, flagged: false, usage: { promptTokens: 200, completionTokens: 40 } });
    expect(r.toolCalls).toEqual([
      { name: 'get_air_quality_forecast', arguments: { location: 'synthetic-city', start_date: '2024-07-01' }, ms: expect.any(Number) },
    ]);

    const [first, second] = sent(llm);
    expect(first!.tools!.map((t) => t.function.name)).toContain('get_air_quality_forecast');
    expect(first!.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining('2024-06-30') });
    expect(first!.messages[0]!.content).toContain('synthetic-city');
    const result = second!.messages.find((m) => m.role === 'tool')!;
    expect(result.tool_call_id).toBe('call_0');
    expect(JSON.parse(fromData(result.content!)).days[0].pm25).toBe(day.pm25);

    expect(spans.map((s) => s.kind)).toEqual(['run', 'guardrail', 'model', 'tool', 'model', 'guardrail']);
    expect(spans.find((s) => s.kind === 'model')!.attributes).toMatchObject({ model: 'scripted-model', promptTokens: 100, completionTokens: 20, retries: 0 });
    expect(spans.find((s) => s.kind === 'tool')!.attributes).toMatchObject({
      tool: 'get_air_quality_forecast',
      isError: false,
      resultChars: fromData(result.content!).length,
    });
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([r.traceId]));
  });

  it('runs several tool calls of one turn in parallel and answers each call id', async () => {
    const slow = await slowTools();
    opened.push(slow);
    const { llm, run, spans } = await setup([callTools(['wait', { ms: 300 }], ['wait', { ms: 300 }], ['wait', { ms: 10 }]), say('All three waits are done.')]);
    const r = await run('wait three times', { tools: slow });
    expect(r.toolCalls.map((c) => c.error)).toEqual([undefined, undefined, undefined]);
    const toolSpans = spans.filter((s) => s.kind === 'tool');
    // Each call started before the first one ended: they overlapped.
    const firstEnd = Date.parse(toolSpans[0]!.start) + toolSpans[0]!.ms;
    for (const s of toolSpans.slice(1)) expect(Date.parse(s.start)).toBeLessThan(firstEnd);
    const replies = sent(llm)[1]!.messages.filter((m) => m.role === 'tool');
    expect(replies.map((m) => [m.tool_call_id, fromData(m.content!)])).toEqual([
      ['call_0', 'waited 300 ms'],
      ['call_1', 'waited 300 ms'],
      ['call_2', 'waited 10 ms'],
    ]);
  });

  it('sends invalid arguments back to the model to repair, without calling the tool', async () => {
    const day = await tomorrow();
    const { llm, run } = await setup([
      callTools(
        ['get_air_quality_forecast', { location: 'synthetic-city', start_date: 'July 1st' }],
        ['get_air_quality_history', '{"location": "synthetic-city",'],
      ),
      callTools(['get_air_quality_forecast', { location: 'synthetic-city', start_date: '2024-07-01' }]),
      say(`Forecast for 2024-07-01: ${day.pm25} µg/m³.`),
    ]);
    const seen: string[] = [];
    const counted = Object.create(tools) as McpTools;
    counted.call = (name, args, o) => (seen.push(name), tools.call(name, args, o));

    const r = await run('air tomorrow in synthetic city?', { tools: counted });
    expect(r.stopped).toBe('answer');
    expect(r.flagged).toBe(false);
    expect(seen).toEqual(['get_air_quality_forecast']); // only the repaired call reached the tool
    expect(r.toolCalls.map((c) => c.error === undefined)).toEqual([false, false, true]);
    expect(r.toolCalls[0]!.error).toMatch(/start_date/);
    expect(r.toolCalls[1]!.error).toMatch(/JSON/i);
    const errors = sent(llm)[1]!.messages.filter((m) => m.role === 'tool');
    expect(errors).toHaveLength(2);
    for (const e of errors) expect(e.content).toMatch(/fix|repair|correct/i);
  });

  it('tells the model an unknown tool does not exist and lists the real ones', async () => {
    const { llm, run } = await setup([callTools(['get_weather', { city: 'Beijing' }]), say('I have no weather tool; I can give air-quality data instead.')]);
    const r = await run('what is the weather in Beijing?');
    expect(r.toolCalls).toEqual([
      { name: 'get_weather', arguments: { city: 'Beijing' }, ms: expect.any(Number), error: expect.stringMatching(/no tool "get_weather"/) },
    ]);
    const reply = sent(llm)[1]!.messages.find((m) => m.role === 'tool')!;
    expect(reply.content).toContain('get_air_quality_forecast');
    expect(r.answer).toMatch(/no weather tool/);
  });

  it('retries after 429 (honouring Retry-After) and 5xx, and records the retries', async () => {
    const { llm, run, spans } = await setup([
      { status: 429, headers: { 'retry-after': '0' }, body: { error: { message: 'rate limited' } } },
      { status: 503, body: { error: { message: 'overloaded' } } },
      say('Ask me about air quality in Synthetic City.'),
    ]);
    const r = await run('hello');
    expect(r.stopped).toBe('answer');
    expect(llm.requests).toHaveLength(3);
    expect(spans.find((s) => s.kind === 'model')!.attributes).toMatchObject({ retries: 2 });
  });

  it('gives up after maxRetries and records the error on the trace', async () => {
    const { llm, run, spans } = await setup([{ status: 500, body: { error: { message: 'broken' } } }], { maxRetries: 2 });
    await expect(run('hello')).rejects.toThrow(/500/);
    expect(llm.requests).toHaveLength(3);
    expect(spans[0]!.error).toMatch(/500/);
  });

  it('times out a slow model request and retries it', async () => {
    const { llm, run, spans } = await setup([{ ...say('too late'), delayMs: 2_000 }, say('in time')], { timeoutMs: 150 });
    const r = await run('hello');
    expect(r.answer).toBe('in time');
    expect(llm.requests).toHaveLength(2);
    expect(spans.find((s) => s.kind === 'model')!.attributes).toMatchObject({ retries: 1 });
  });

  it('times out a slow tool, tells the model, and goes on', async () => {
    const slow = await slowTools();
    opened.push(slow);
    const { llm, run } = await setup([callTools(['wait', { ms: 1_000 }]), say('The tool did not answer in time.')]);
    const r = await run('wait a second', { tools: slow, toolTimeoutMs: 100 });
    expect(r.toolCalls[0]!.error).toMatch(/timed out|timeout/i);
    expect(r.toolCalls[0]!.ms).toBeLessThan(1_000);
    expect(sent(llm)[1]!.messages.find((m) => m.role === 'tool')!.content).toMatch(/timed out|timeout/i);
    expect(r.stopped).toBe('answer');
  });

  it('stops at maxSteps with an honest partial answer', async () => {
    const { llm, run } = await setup([callTools(['list_locations', {}])]);
    const r = await run('keep going', { maxSteps: 3 });
    expect(r.stopped).toBe('max_steps');
    expect(r.steps).toBe(3);
    expect(llm.requests).toHaveLength(3);
    expect(r.toolCalls.map((c) => c.name)).toEqual(['list_locations', 'list_locations', 'list_locations']);
    expect(r.answer).toMatch(/could not finish within the step limit/);
    expect(r.answer).toContain('list_locations');
  });

  it('streams the final answer and reassembles tool calls sent in fragments', async () => {
    const day = await tomorrow();
    const text = `Tomorrow: ${day.pm25} µg/m³ (${day.category}).`;
    const { run } = await setup([
      streamed([
        {
          role: 'assistant',
          tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_air_quality_', arguments: '{"location": "synth' } }],
        },
        { tool_calls: [{ index: 0, function: { name: 'forecast', arguments: 'etic-city", "start_date": "2024-07-01"}' } }] },
      ]),
      streamed([{ role: 'assistant', content: text.slice(0, 10) }, { content: text.slice(10) }]),
    ]);
    const deltas: string[] = [];
    const r = await run('tomorrow in synthetic city?', { onText: (d) => deltas.push(d) });
    expect(r.toolCalls).toEqual([
      { name: 'get_air_quality_forecast', arguments: { location: 'synthetic-city', start_date: '2024-07-01' }, ms: expect.any(Number) },
    ]);
    expect(deltas).toEqual([text.slice(0, 10), text.slice(10)]);
    expect(r.answer).toBe(text);
    expect(r.usage).toEqual({ promptTokens: 100, completionTokens: 20 });
  });

  it('regenerates an answer with numbers no tool gave, once, without tools', async () => {
    const day = await tomorrow();
    const { llm, run } = await setup([
      callTools(['get_air_quality_forecast', { location: 'synthetic-city', start_date: '2024-07-01' }]),
      say('Tomorrow PM2.5 will be 999 µg/m³.'),
      say(`Tomorrow PM2.5 will be ${day.pm25} µg/m³.`),
    ]);
    const r = await run('tomorrow in synthetic city?');
    expect(r).toMatchObject({ answer: `Tomorrow PM2.5 will be ${day.pm25} µg/m³.`, flagged: false, ungrounded: [] });
    const regenerate = sent(llm)[2]!;
    expect(regenerate.tools).toBeUndefined();
    expect(regenerate.messages.at(-1)).toMatchObject({ role: 'system', content: expect.stringContaining('999') });
  });

  it('flags an answer that is still ungrounded after regeneration', async () => {
    const { run, spans } = await setup([callTools(['list_locations', {}]), say('It will be 999 µg/m³.'), say('Still 999 µg/m³.')]);
    const r = await run('how bad will it be?');
    expect(r).toMatchObject({ flagged: true, ungrounded: ['999'] });
    expect(spans.filter((s) => s.kind === 'guardrail').map((s) => s.attributes)).toContainEqual(expect.objectContaining({ check: 'grounded', passed: false }));
    expect(spans[0]!.attributes).toMatchObject({ flagged: true });
  });

  it('stops when the user cancels while the model is thinking', async () => {
    const { run } = await setup([{ ...say('late'), delayMs: 5_000 }]);
    const abort = new AbortController();
    setTimeout(() => abort.abort(new Error('cancelled by the user')), 50);
    const t0 = performance.now();
    await expect(run('hello', { signal: abort.signal })).rejects.toThrow(/cancel|abort/i);
    expect(performance.now() - t0).toBeLessThan(4_000);
  });
});
