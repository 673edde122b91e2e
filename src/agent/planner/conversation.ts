// The state of a chat: what the last answered question was about (intent, places, periods), read from the tool calls it made.
import type { ChatMessage, KnownLocation, ToolCallRequest } from '../types.js';
import type { Period } from './calls.js';
import type { Intent } from './intents.js';
import { parseJsonObject } from '../json.js';
import { findPlaces } from './places.js';
import { toolKeyOf, type ToolKey } from './tool-names.js';

/** What a question was about: a follow-up ("and on Friday?", "why?", "there") keeps it and changes what it names. */
export interface Topic {
  intent: Intent;
  places: KnownLocation[];
  periods: Period[];
}

const INTENT_OF: Record<ToolKey, Intent> = {
  forecast: 'forecast',
  history: 'history',
  similar: 'similar_days',
  explain: 'explain',
  search: 'knowledge',
  vector: 'feature_vector',
  locations: 'list_locations',
  groups: 'list_feature_groups',
  status: 'data_status',
};

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The topic of a turn's tool calls (whoever made them: the planner or an LLM); undefined when they name no tool the planner knows. */
export function topicOfCalls(calls: readonly ToolCallRequest[], locations: readonly KnownLocation[]): Topic | undefined {
  const places = new Map<string, KnownLocation>();
  const periods = new Map<string, Period>();
  let intent: Intent | undefined;
  for (const c of calls) {
    const key = toolKeyOf(c.name);
    if (!key) continue;
    const args = parseJsonObject(c.arguments);
    if (!args) continue;
    // A forecast beside a history call (yesterday against tomorrow) keeps the forecast: it is what a bare follow-up wants next.
    if (intent === undefined || INTENT_OF[key] === 'forecast') intent = INTENT_OF[key];
    const where = str(args.location);
    const place = where && (locations.find((l) => l.id === where) ?? findPlaces(where, locations)[0]?.location);
    if (place) places.set(place.id, place);
    const start = str(args.start_date) ?? str(args.date);
    if (start) periods.set(`${start}/${str(args.end_date) ?? start}`, { start, end: str(args.end_date) ?? start });
  }
  return intent && { intent, places: [...places.values()], periods: [...periods.values()] };
}

/** The topic of the chat before the user message at `index`: the tool calls of the last turn that made some. */
export function topicBefore(messages: readonly ChatMessage[], index: number, locations: readonly KnownLocation[]): Topic | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'assistant' && (m.toolCalls?.length ?? 0) > 0) return topicOfCalls(m.toolCalls!, locations);
  }
  return undefined;
}

/** When the assistant's last message asked back ("Which place do you mean?"), the question it asked about. */
export function pendingQuestion(messages: readonly ChatMessage[], index: number, askBackPrefix: string): string | undefined {
  const before = messages[index - 1];
  if (before?.role !== 'assistant' || !before.content?.startsWith(askBackPrefix)) return undefined;
  const earlier = messages.slice(0, index - 1).findLast((m) => m.role === 'user');
  return earlier?.role === 'user' ? earlier.content : undefined;
}
