// OpenAIModel's strict function calling against a scripted OpenAI-compatible server: what it sends, how strict arguments come back, and the fallback for endpoints that refuse strict.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgent } from '../../src/agent/loop.js';
import type { McpTools } from '../../src/agent/mcp-tools.js';
import { fromData, OpenAIModel, openAIOptionsFromEnv, type OpenAIModelOptions } from '../../src/agent/openai-model.js';
import type { ToolSpec } from '../../src/agent/types.js';
import { inProcessTools } from '../helpers/agent-tools.js';
import { scriptedLlm, type ChatRequest, type LlmReply } from '../helpers/openai-replies.js';
import { replayServer, type Scripted } from '../helpers/replay-server.js';
import { copyStoreForFile, removeStoreCopy, syntheticStore } from '../helpers/stores.js';
import { strictProblems } from '../helpers/strict-subset.js';

const TODAY = '2024-06-30';
let storeDir: string;
let tools: McpTools;
let specs: ToolSpec[];

beforeAll(async () => {
  storeDir = copyStoreForFile(syntheticStore());
  tools = await inProcessTools(storeDir, TODAY);
  specs = await tools.list();
}, 60_000);
afterAll(async () => {
  await tools.close();
  removeStoreCopy(storeDir);
});

async function setup(decide: (request: ChatRequest, index: number) => LlmReply | Scripted, options: Partial<OpenAIModelOptions> = {}) {
  const llm = await replayServer();
  scriptedLlm(llm, decide);
  const model = new OpenAIModel({ apiKey: 'test-key', baseURL: `${llm.url}/v1`, model: 'scripted-model', retryBaseMs: 1, ...options });
  return { llm, model, sent: () => llm.bodies.map((b) => JSON.parse(b) as ChatRequest) };
}

/** A strict model's arguments: every property of the tool's parameters present, null for those not given. */
const strictCall = (request: ChatRequest, name: string, given: Record<string, unknown>): [string, Record<string, unknown>] => {
  const tool = request.tools!.find((t) => t.function.name === name)!;
  return [name, { ...Object.fromEntries(Object.keys(tool.function.parameters.properties as object).map((k) => [k, null])), ...given }];
};

const refuseStrict: Scripted = {
  status: 400,
  body: { error: { message: 'strict mode is not supported for this model', type: 'invalid_request_error', param: 'tools', code: null } },
};

describe('OpenAIModel, strict function calling', () => {
  it.each([false, true])('sends strict schemas and maps strict arguments back: nulls dropped, and the tools run (streamed: %s)', async (streamed) => {
    const { model, sent } = await setup((request, i) =>
      i === 0
        ? {
            calls: [
              strictCall(request, 'search_similar', {
                feature_group: 'documents',
                query: 'WHO guideline for PM2.5',
                k: 2,
                filter: [{ column: 'doc_id', value: 'who-guidelines' }],
              }),
              strictCall(request, 'get_air_quality_forecast', { location: 'synthetic-city', start_date: '2024-07-01' }),
            ],
          }
        : { content: 'Here is what the WHO says.' },
    );
    const deltas: string[] = [];
    const r = await runAgent('What does the WHO say about PM2.5, and how is tomorrow?', {
      model,
      tools,
      today: TODAY,
      ...(streamed ? { onText: (d: string) => deltas.push(d) } : {}),
    });

    const [first, second] = sent();
    expect(first!.stream ?? false).toBe(streamed);
    for (const t of first!.tools!) {
      expect(t.function.strict, t.function.name).toBe(true);
      expect(strictProblems(t.function.parameters), t.function.name).toEqual([]);
    }
    expect(r.toolCalls.map((c) => [c.name, c.arguments, c.error])).toEqual([
      [
        'search_similar',
        { feature_group: 'documents', query: 'WHO guideline for PM2.5', k: 2, filter: [{ column: 'doc_id', value: 'who-guidelines' }] },
        undefined,
      ],
      ['get_air_quality_forecast', { location: 'synthetic-city', start_date: '2024-07-01' }, undefined],
    ]);
    const results = second!.messages.filter((m) => m.role === 'tool').map((m) => JSON.parse(fromData(m.content!)) as Record<string, unknown>);
    const rows = (results[0]!.results as { row: { doc_id: string } }[]).map((x) => x.row.doc_id);
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows)).toEqual(new Set(['who-guidelines'])); // the rebuilt filter reached the tool
    expect(results[1]!.days).toHaveLength(1); // no end_date: the day asked for only
    // The conversation keeps the calls in the tool's own shape.
    expect(second!.messages.find((m) => m.tool_calls)!.tool_calls![0]!.function.arguments).toContain('"filter":[{"column":"doc_id","value":"who-guidelines"}]');
    expect(r.answer).toBe('Here is what the WHO says.');
    expect(deltas.join('')).toBe(streamed ? r.answer : '');
  });

  it('falls back once to plain schemas when the endpoint refuses strict, and stays there for the session', async () => {
    const { llm, model, sent } = await setup((request) =>
      request.tools?.some((t) => t.function.strict)
        ? refuseStrict
        : request.messages.at(-1)!.role === 'user'
          ? { calls: [['get_air_quality_forecast', { location: 'synthetic-city', start_date: '2024-07-01' }]] }
          : { content: 'Done.' },
    );
    const r = await runAgent('tomorrow in synthetic city?', { model, tools, today: TODAY });
    expect(r.answer).toBe('Done.');
    expect(r.toolCalls.map((c) => c.error)).toEqual([undefined]);
    expect(llm.requests).toHaveLength(3); // strict (refused), plain, then plain straight away
    const bodies = sent();
    expect(bodies[0]!.tools!.every((t) => t.function.strict === true)).toBe(true);
    for (const b of bodies.slice(1)) {
      expect(b.tools!.some((t) => 'strict' in t.function)).toBe(false);
      expect(b.tools!.map((t) => t.function.parameters)).toEqual(specs.map((s) => s.inputSchema));
    }
  });

  it('keeps strict on when the request without it fails too (the 400 was not about strict)', async () => {
    const { llm, model, sent } = await setup(() => refuseStrict);
    const ask = () =>
      model.respond({
        messages: [{ role: 'user', content: 'hi' }],
        tools: specs,
        context: { today: TODAY, weekday: 'Sunday', locations: [] },
        signal: new AbortController().signal,
      });
    await expect(ask()).rejects.toThrow(/400/);
    await expect(ask()).rejects.toThrow(/400/);
    expect(llm.requests).toHaveLength(4);
    expect(sent().map((b) => b.tools!.some((t) => t.function.strict === true))).toEqual([true, false, true, false]);
  });

  it('does not fall back on a 400 about something else, nor with strictTools: true', async () => {
    const tooLong: Scripted = {
      status: 400,
      body: { error: { message: "This model's maximum context length is 128000 tokens", type: 'invalid_request_error' } },
    };
    for (const [answer, options] of [
      [tooLong, {}],
      [refuseStrict, { strictTools: true }],
    ] as const) {
      const { llm, model } = await setup(() => answer, options);
      await expect(runAgent('hello', { model, tools, today: TODAY })).rejects.toThrow(/400/);
      expect(llm.requests).toHaveLength(1);
    }
  });

  it('sends the tools as they are with strictTools: false, and leaves their arguments alone', async () => {
    const { model, sent } = await setup(
      (request) =>
        request.messages.at(-1)!.role === 'user'
          ? { calls: [['get_air_quality_forecast', { location: 'synthetic-city', end_date: null }]] }
          : { content: 'ok' },
      { strictTools: false },
    );
    const r = await runAgent('tomorrow?', { model, tools, today: TODAY, maxSteps: 2 });
    expect(sent()[0]!.tools!.map((t) => t.function)).toEqual(specs.map((s) => ({ name: s.name, description: s.description, parameters: s.inputSchema })));
    expect(r.toolCalls[0]).toMatchObject({ arguments: { location: 'synthetic-city', end_date: null }, error: expect.stringMatching(/end_date/) });
  });

  it('sends a tool strict mode cannot express without strict, beside strict ones, and maps only the strict ones back', async () => {
    const odd: ToolSpec = {
      name: 'odd',
      description: 'A tool with a schema strict mode cannot express.',
      inputSchema: { type: 'object', properties: { a: { allOf: [{ type: 'string' }, { minLength: 2 }] }, b: { type: 'string' } } },
    };
    const plain: ToolSpec = {
      name: 'plain',
      description: 'A plain tool.',
      inputSchema: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false },
    };
    const { model, sent } = await setup(() => ({
      calls: [
        ['odd', { a: 'xy', b: null }],
        ['plain', { a: null }],
      ],
    }));
    const r = await model.respond({
      messages: [{ role: 'user', content: 'go' }],
      tools: [odd, plain],
      context: { today: TODAY, weekday: 'Sunday', locations: [] },
      signal: new AbortController().signal,
    });
    expect(sent()[0]!.tools!.map((t) => t.function)).toEqual([
      { name: 'odd', description: odd.description, parameters: odd.inputSchema, strict: false },
      {
        name: 'plain',
        description: plain.description,
        parameters: { type: 'object', properties: { a: { type: ['string', 'null'] } }, required: ['a'], additionalProperties: false },
        strict: true,
      },
    ]);
    expect(r.turn.type === 'tool_calls' && r.turn.calls.map((c) => c.arguments)).toEqual(['{"a":"xy","b":null}', '{}']);
  });

  it('stops a request in flight when its signal is aborted', async () => {
    const { llm, model } = await setup(() => ({ hold: true }));
    const abort = new AbortController();
    const reply = model.respond({
      messages: [{ role: 'user', content: 'hi' }],
      tools: specs,
      context: { today: TODAY, weekday: 'Sunday', locations: [] },
      signal: abort.signal,
    });
    await llm.received(1);
    abort.abort(new Error('cancelled by the user'));
    await expect(reply).rejects.toThrow(/cancel|abort/i);
    expect(llm.requests).toHaveLength(1); // not retried
  });

  it('reads AIRQ_LLM_STRICT (auto by default) in the environment config', () => {
    const env = { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' };
    expect(openAIOptionsFromEnv(env)!.strictTools).toBe('auto');
    expect(openAIOptionsFromEnv({ ...env, AIRQ_LLM_STRICT: 'on' })!.strictTools).toBe(true);
    expect(openAIOptionsFromEnv({ ...env, AIRQ_LLM_STRICT: 'off' })!.strictTools).toBe(false);
    expect(() => openAIOptionsFromEnv({ ...env, AIRQ_LLM_STRICT: 'yes' })).toThrow(/AIRQ_LLM_STRICT/);
  });
});
