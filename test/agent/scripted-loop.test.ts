// The agent loop driven by ScriptedModel, in process (no LLM server): what the model is asked, repairs, step limits, regeneration, history, cancelling and streaming.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgent, type AgentOptions, type AgentToolCall } from '../../src/agent/loop.js';
import type { McpTools } from '../../src/agent/mcp-tools.js';
import { ScriptedModel, type ScriptedStep } from '../../src/agent/scripted-model.js';
import { inProcessTools } from '../helpers/agent-tools.js';
import { copyStoreForFile, removeStoreCopy, syntheticStore } from '../helpers/stores.js';

const TODAY = '2024-06-30';
const FORECAST = { name: 'get_air_quality_forecast', arguments: { location: 'synthetic-city', start_date: '2024-07-01' } };
let storeDir: string;
let tools: McpTools;

beforeAll(async () => {
  storeDir = copyStoreForFile(syntheticStore());
  tools = await inProcessTools(storeDir, TODAY);
}, 60_000);
afterAll(async () => {
  await tools.close();
  removeStoreCopy(storeDir);
});

const run = (model: ScriptedModel, question: string, options: Partial<AgentOptions> = {}) => runAgent(question, { model, tools, today: TODAY, ...options });

/** A final answer citing the forecast the tool returned in this request. */
const citeForecast: ScriptedStep = (request) => {
  const result = request.messages.findLast((m) => m.role === 'tool' && m.name === FORECAST.name)!;
  const day = (JSON.parse(result.content as string) as { days: { date: string; pm25: number }[] }).days[0]!;
  return { final: `On ${day.date} PM2.5 is forecast at ${day.pm25} µg/m³.` };
};

/** The MCP tools, with a record of the calls that reached them (and a hook run as each one starts). */
function watched(onCall: (name: string) => void = () => {}) {
  const seen: string[] = [];
  const t = Object.create(tools) as McpTools;
  t.call = (name, args, o) => (seen.push(name), onCall(name), tools.call(name, args, o));
  return { tools: t, seen };
}

describe('agent loop, with a scripted model', () => {
  it('asks with the system prompt, the places and every tool, answers each call under its id, and sums usage', async () => {
    const model = new ScriptedModel([{ calls: [FORECAST] }, citeForecast], { usage: { promptTokens: 7, completionTokens: 3 } });
    const r = await run(model, 'Will the air be OK tomorrow in Synthetic City?');
    const [first, second] = model.requests;
    expect(first!.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining(TODAY) });
    expect(first!.messages[0]!.content).toContain('synthetic-city');
    expect(first!.messages.at(-1)).toEqual({ role: 'user', content: 'Will the air be OK tomorrow in Synthetic City?' });
    expect(first!.tools.map((t) => t.name)).toEqual((await tools.list()).map((t) => t.name));
    expect(first!.context).toMatchObject({ today: TODAY, weekday: 'Sunday', locations: [expect.objectContaining({ id: 'synthetic-city' })] });
    const reply = second!.messages.at(-1)!;
    expect(reply).toMatchObject({ role: 'tool', toolCallId: 'call_1_1', name: FORECAST.name, isError: false });
    expect(r).toMatchObject({ stopped: 'answer', steps: 2, flagged: false, usage: { promptTokens: 14, completionTokens: 6 } });
    expect(r.answer).toMatch(/^On 2024-07-01 PM2\.5 is forecast at [\d.]+ µg\/m³\.$/);
  });

  it('sends invalid arguments, broken JSON and unknown tools back to the model, and only valid calls reach a tool', async () => {
    const model = new ScriptedModel([
      {
        calls: [
          { name: FORECAST.name, arguments: { location: 'synthetic-city', start_date: 'July 1st' } },
          { name: 'get_air_quality_history', arguments: '{"location": "synthetic-city",' },
          { name: 'get_weather', arguments: { city: 'Beijing' } },
        ],
      },
      { calls: [FORECAST] },
      citeForecast,
    ]);
    const w = watched();
    const r = await run(model, 'air tomorrow in synthetic city?', { tools: w.tools });
    expect(w.seen).toEqual([FORECAST.name]);
    const errors = model.requests[1]!.messages.filter((m) => m.role === 'tool');
    expect(errors.map((m) => m.role === 'tool' && m.isError)).toEqual([true, true, true]);
    expect(errors.map((m) => m.content)).toEqual([
      expect.stringMatching(/start_date[\s\S]*Fix the arguments/),
      expect.stringMatching(/not valid JSON[\s\S]*Fix the arguments/),
      expect.stringMatching(/no tool "get_weather".*get_air_quality_forecast/),
    ]);
    expect(r).toMatchObject({ stopped: 'answer', steps: 3, flagged: false });
  });

  it('stops at maxSteps with an honest partial answer', async () => {
    const step = { calls: [{ name: 'list_locations' }] };
    const model = new ScriptedModel([step, step, step, { final: 'never asked' }]);
    const r = await run(model, 'keep going', { maxSteps: 3 });
    expect(model.requests).toHaveLength(3);
    expect(r).toMatchObject({ stopped: 'max_steps', steps: 3 });
    expect(r.answer).toMatch(/could not finish within the step limit/);
  });

  it('regenerates an answer with numbers no tool gave once, without tools, then flags it', async () => {
    const model = new ScriptedModel([{ calls: [FORECAST] }, { final: 'It will be 999 µg/m³.' }, { final: 'Still 999 µg/m³.' }]);
    const r = await run(model, 'how bad tomorrow in synthetic city?');
    const regenerate = model.requests[2]!;
    expect(regenerate.tools).toEqual([]);
    expect(regenerate.messages.at(-1)).toMatchObject({ role: 'system', content: expect.stringContaining('999') });
    expect(r).toMatchObject({ answer: 'It will be 999 µg/m³.', flagged: true, ungrounded: ['999'] });
    expect(r.messages.filter((m) => m.role === 'system')).toEqual([]); // the correction is not part of the chat
  });

  it('puts the chat history between the system prompt and the new question', async () => {
    const first = await run(new ScriptedModel([{ calls: [FORECAST] }, citeForecast]), 'tomorrow in synthetic city?');
    const model = new ScriptedModel([{ final: 'Ask me about another day.' }]);
    await run(model, 'and the day after?', { history: first.messages });
    const sent = model.requests[0]!.messages;
    expect(sent.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'user']);
    expect(sent.slice(1, -1)).toEqual(first.messages);
  });

  it('rejects the run when the user cancels while the model is thinking', async () => {
    const abort = new AbortController();
    const model = new ScriptedModel([
      () => {
        abort.abort(new Error('cancelled by the user'));
        return new Promise(() => {}); // a model that would never answer
      },
    ]);
    const w = watched();
    await expect(run(model, 'hello', { signal: abort.signal, tools: w.tools })).rejects.toThrow(/cancelled by the user/);
    expect(w.seen).toEqual([]);
  });

  it('does not ask the model again when the user cancels while a tool runs', async () => {
    const abort = new AbortController();
    const model = new ScriptedModel([{ calls: [FORECAST] }, { final: 'never asked' }]);
    const w = watched(() => abort.abort(new Error('cancelled by the user')));
    await expect(run(model, 'tomorrow?', { signal: abort.signal, tools: w.tools })).rejects.toThrow(/cancel|abort/i);
    expect(w.seen).toEqual([FORECAST.name]);
    expect(model.requests).toHaveLength(1);
  });

  it('streams the final answer through onText and reports each tool call as it finishes', async () => {
    const model = new ScriptedModel([{ calls: [FORECAST, { name: 'list_locations' }] }, citeForecast]);
    const deltas: string[] = [];
    const finished: AgentToolCall[] = [];
    const r = await run(model, 'tomorrow in synthetic city?', { onText: (d) => deltas.push(d), onToolCall: (c) => finished.push(c) });
    expect(model.requests.map((q) => q.streaming)).toEqual([true, true]);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(r.answer);
    expect(finished.map((c) => [c.name, c.error])).toEqual(
      expect.arrayContaining([
        [FORECAST.name, undefined],
        ['list_locations', undefined],
      ]),
    );
    expect(finished).toHaveLength(2);
  });

  it('says so when its script runs out', async () => {
    await expect(run(new ScriptedModel([{ calls: [FORECAST] }]), 'tomorrow?')).rejects.toThrow(/script has 1 steps and step 2 was asked for/);
  });
});
