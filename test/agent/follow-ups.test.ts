// Follow-ups in a chat with the builtin planner: each kind changes one thing of the question before (place, day, intent) and keeps the rest.
import { beforeAll, describe, expect, it } from 'vitest';
import { BuiltinPlanner } from '../../src/agent/planner/builtin-model.js';
import type { ChatMessage, ModelResponse, ToolSpec } from '../../src/agent/types.js';
import { BEIJING_CONTEXT, BEIJING_PLACES } from './beijing-places.js';

const open = { type: 'object', properties: {} };
const spec = (name: string, args: string[]): ToolSpec => ({
  name,
  description: name,
  inputSchema: { ...open, properties: Object.fromEntries(args.map((a) => [a, {}])) },
});
const TOOLS: ToolSpec[] = [
  spec('get_air_quality_forecast', ['location', 'start_date', 'end_date']),
  spec('get_air_quality_history', ['location', 'start_date', 'end_date']),
  spec('find_similar_days', ['location', 'date', 'k', 'all_locations']),
  spec('explain_forecast', ['location', 'date', 'top']),
  spec('search_similar', ['feature_group', 'query', 'k', 'filter', 'column', 'mode']),
  spec('list_locations', []),
  spec('get_data_status', []),
];

let planner: BuiltinPlanner;
beforeAll(async () => {
  planner = await BuiltinPlanner.create();
});

const ask = (messages: ChatMessage[]): Promise<ModelResponse> =>
  planner.respond({ messages, tools: TOOLS, context: BEIJING_CONTEXT, signal: new AbortController().signal });

/** A chat after `questions`: each answered with the tool calls the planner made for it (or its ask-back). */
async function chat(questions: string[]): Promise<ChatMessage[]> {
  const messages: ChatMessage[] = [];
  for (const q of questions) {
    messages.push({ role: 'user', content: q });
    const r = await ask(messages);
    if (r.turn.type === 'final') {
      messages.push({ role: 'assistant', content: r.turn.text });
      continue;
    }
    messages.push({ role: 'assistant', content: null, toolCalls: r.turn.calls });
    for (const c of r.turn.calls) messages.push({ role: 'tool', toolCallId: c.id, name: c.name, content: '{}', isError: false });
    messages.push({ role: 'assistant', content: '(answer)' });
  }
  return messages;
}

/** The calls the planner makes for the last question of a chat. */
async function callsAfter(questions: string[]): Promise<{ name: string; args: Record<string, unknown> }[]> {
  const messages = await chat(questions.slice(0, -1));
  const r = await ask([...messages, { role: 'user', content: questions.at(-1)! }]);
  if (r.turn.type !== 'tool_calls') throw new Error(`no tool calls for "${questions.at(-1)}": ${r.turn.text}`);
  return r.turn.calls.map((c) => ({ name: c.name, args: JSON.parse(c.arguments) as Record<string, unknown> }));
}

const forecast = (location: string, start?: string, end?: string) => ({
  name: 'get_air_quality_forecast',
  args: { location: `beijing-${location}`, ...(start ? { start_date: start } : {}), ...(end ? { end_date: end } : {}) },
});
const history = (location: string, start: string, end = start) => ({
  name: 'get_air_quality_history',
  args: { location: `beijing-${location}`, start_date: start, end_date: end },
});

const FRIDAY_IN_DONGSI = 'Will the air be OK for a run in Dongsi on Friday?';
const LAST_FRIDAY_IN_DONGSI = 'How was the air in Dongsi last Friday?';

describe('follow-ups (today Tuesday 2017-02-21)', () => {
  it.each<[string, string[], { name: string; args: Record<string, unknown> }[]]>([
    ['another day', [FRIDAY_IN_DONGSI, 'and on Saturday?'], [forecast('dongsi', '2017-02-25')]],
    ['a relative day', [FRIDAY_IN_DONGSI, 'and tomorrow?'], [forecast('dongsi', '2017-02-22')]],
    ['another place', [FRIDAY_IN_DONGSI, 'what about Tiantan?'], [forecast('tiantan', '2017-02-24')]],
    ['two other places', [FRIDAY_IN_DONGSI, 'and in Shunyi and Gucheng?'], [forecast('shunyi', '2017-02-24'), forecast('gucheng', '2017-02-24')]],
    ['"there" with a day', [FRIDAY_IN_DONGSI, 'and there on Sunday?'], [forecast('dongsi', '2017-02-26')]],
    ['the day before', [FRIDAY_IN_DONGSI, 'the day before?'], [forecast('dongsi', '2017-02-23')]],
    ['the day after', [FRIDAY_IN_DONGSI, 'and the day after?'], [forecast('dongsi', '2017-02-25')]],
    ['why', [FRIDAY_IN_DONGSI, 'why?'], [{ name: 'explain_forecast', args: { location: 'beijing-dongsi', date: '2017-02-24' } }]],
    [
      'why, in words',
      [FRIDAY_IN_DONGSI, 'how come it is that high?'],
      [{ name: 'explain_forecast', args: { location: 'beijing-dongsi', date: '2017-02-24' } }],
    ],
    ['similar days', [LAST_FRIDAY_IN_DONGSI, 'find similar days'], [{ name: 'find_similar_days', args: { location: 'beijing-dongsi', date: '2017-02-17' } }]],
    ['similar days after a forecast', [FRIDAY_IN_DONGSI, 'find similar days'], [{ name: 'find_similar_days', args: { location: 'beijing-dongsi' } }]],
    ['same for another period', [LAST_FRIDAY_IN_DONGSI, 'same for last week'], [history('dongsi', '2017-02-13', '2017-02-19')]],
    ['the week before', [LAST_FRIDAY_IN_DONGSI, 'and the week before?'], [history('dongsi', '2017-02-10', '2017-02-16')]],
    ['every place', [FRIDAY_IN_DONGSI, 'how about all the stations?'], BEIJING_PLACES.map((p) => forecast(p.id.slice(8), '2017-02-24'))],
    ['the weather', [FRIDAY_IN_DONGSI, 'and will it rain?'], [forecast('dongsi', '2017-02-24')]],
    ['an answer to "which place?"', ['Will the air be OK for a run tomorrow?', 'Gucheng'], [forecast('gucheng', '2017-02-22')]],
    [
      'a new question after "which place?"',
      ['Will the air be OK for a run tomorrow?', 'How was the air in Tiantan yesterday?'],
      [history('tiantan', '2017-02-20')],
    ],
    ['a new question after a topic', [FRIDAY_IN_DONGSI, 'How was the air yesterday in Changping?'], [history('changping', '2017-02-20')]],
  ])('%s', async (_kind, questions, expected) => {
    expect(await callsAfter(questions)).toEqual(expected);
  });

  it('"which day is best?" after a week: the best day of that week, stated outright', async () => {
    const messages = await chat(['What does the coming week look like in Dongsi?']);
    const r = await ask([...messages, { role: 'user', content: 'which day is best?' }]);
    expect(r.turn).toMatchObject({ type: 'tool_calls', calls: [{ name: 'get_air_quality_forecast' }] });
    const calls = r.turn.type === 'tool_calls' ? r.turn.calls : [];
    expect(JSON.parse(calls[0]!.arguments)).toEqual({ location: 'beijing-dongsi', start_date: '2017-02-22', end_date: '2017-02-28' });
    const days = ['2017-02-22', '2017-02-23', '2017-02-24'].map((date, i) => ({
      date,
      pm25: [80, 23.4, 120][i],
      category: ['Unhealthy', 'Moderate', 'Unhealthy'][i],
    }));
    const result = { location: { location_id: 'beijing-dongsi', name: 'Dongsi' }, days };
    const answer = await ask([
      ...messages,
      { role: 'user', content: 'which day is best?' },
      { role: 'assistant', content: null, toolCalls: calls },
      { role: 'tool', toolCallId: calls[0]!.id, name: calls[0]!.name, content: JSON.stringify(result), isError: false },
    ]);
    expect(answer.turn.type === 'final' && answer.turn.text.split('\n')[0]).toBe('Thursday 2017-02-23 is the cleanest day at Dongsi: 23.4 µg/m³ — Moderate.');
  });

  it('follows up from a history of questions and answers only, as the web page sends it', async () => {
    const history: ChatMessage[] = [
      { role: 'user', content: FRIDAY_IN_DONGSI },
      { role: 'assistant', content: 'Dongsi, Friday 2017-02-24: …' },
      { role: 'user', content: 'what about Tiantan?' },
      { role: 'assistant', content: 'Tiantan, Friday 2017-02-24: …' },
    ];
    const r = await ask([...history, { role: 'user', content: 'and the day after?' }]);
    expect(r.turn.type === 'tool_calls' && r.turn.calls.map((c) => JSON.parse(c.arguments))).toEqual([
      { location: 'beijing-tiantan', start_date: '2017-02-25' },
    ]);
  });

  it('a question of no topic of ours is declined even in a chat', async () => {
    const messages = await chat([FRIDAY_IN_DONGSI]);
    const r = await ask([...messages, { role: 'user', content: 'and tell me a joke' }]);
    expect(r.turn.type).toBe('final');
  });
});
