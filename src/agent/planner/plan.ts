// From a question to tool calls: the intent, the places, the dates, split into one call per place and period.
import { addDays } from '../../core/dates.js';
import type { AgentContext, KnownLocation } from '../types.js';
import { countOf, resolveDates, type DateRange, type Direction } from './dates.js';
import type { Intent, IntentClassifier } from './intents.js';
import { questionWithoutInstructions } from '../guardrails.js';
import { COMMON_WORDS, findPlaces } from './places.js';

export interface PlannedCall {
  name: string;
  args: Record<string, unknown>;
}

/** What a question was about: a follow-up ("and on Friday?") keeps it and changes only what it names. */
export interface Topic {
  intent: Intent;
  places: KnownLocation[];
}

export type Plan =
  | { kind: 'calls'; intent: Intent; calls: PlannedCall[]; superlative?: 'best' | 'worst'; topic: Topic }
  | { kind: 'ask_back'; intent: Intent }
  | { kind: 'decline' };

/** Below this similarity to every example, no tool fits. */
const MIN_SCORE = 0.2;
const MAX_CALLS = 12;
const FORECAST_DAYS = 7;
const HISTORY_DEFAULT_DAYS = 7;
const MAX_HISTORY_DAYS = 366;

// A question must touch air quality, health outdoors, or the store to be ours.
const DOMAIN =
  /\b(air|pm ?2[.,]?5|pm ?10|no2|pollut\w*|smog\w*|haz[ey]\w*|aqi|quality|forecast\w*|mask|breath\w*|run|running|jog\w*|cycl\w*|bike|outdoors?|outside|exercis\w*|park|picnic|hik\w*|walk\w*|kids|asthma\w*|inside|unhealthy|hazardous|sensitive groups?|categor(?:y|ies)|indoors?|windows?|lungs?|resembl\w*|analog\w*|alike|health\w*|guidelines?|features?|feature_\w+|vector|stations?|locations?|places|cities|similar|data|model|prediction|intervals?|hindcast\w*|accura\w*|clean\w*|dirty|polluted|safe)\b/i;
// "WHO" the organisation, not the pronoun: "who won the cup?" is not ours.
const WHO = /\bWHO\b|\bwho (guideline|limit|recommend|standard|air)/;
// Requests about the machine, not the air: declined even when they name a place.
const OFF_TOPIC =
  /\b(shell|terminal|command line|rm -rf|sudo|\.env|api[ _-]?keys?|passwords?|credentials|source code|hidden prompt|system prompt|jailbreak)\b/i;
// Asking for reasons: a forecast at a place is then explained, and explain_forecast is only for such questions.
const WHY = /\b(why|explain\w*|driv(?:e|es|ing)|factors?|reasons?|behind|caus(?:e|es|ing)|contribut\w*|push(?:es|ing)? (?:it |the \w+ )?(?:up|down))\b/i;
// Asking for days like a given one.
const SIMILAR =
  /\b(similar|resembl\w*|analog\w*|alike)\b|\bdays? like\b|\bmost like\b|\bdays? (?:that |which )?(?:looks?|looked|was|were|felt) (?:just )?like\b/i;
// "the 3 most similar", "top 5 closest", "find 5 days like", "show me 4 dates".
const HOW_MANY =
  /\b(?:top|the|find|show|give|list|get)\s+(?:me\s+)?(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)\s+(?:(?:most\s+)?(?:similar|closest|alike|nearest)|days|dates)\b/i;
// Words that carry no topic; a question naming a place with other words but none of ours ("a restaurant in Dongsi") is not ours.
const FILLER = new Set(
  'a an and are as at be been better by can do does did for from get give going gonna how i in is it its me my of on or please show tell than that the then this to vs versus was were what when where which will with worse you'.split(
    ' ',
  ),
);
/** A question that names a place among words of no topic of ours must be this close to an example. */
const PLACE_ONLY_MIN_SCORE = 0.6;
/** A knowledge question without a place or a date is answered from the knowledge base when that intent scores within this of the best. */
const KNOWLEDGE_MARGIN = 0.08;
// Words that open a follow-up: "and tomorrow?", "what about Tiantan?", "same for last week".
const FOLLOW_UP = /^\s*(and|what about|how about|same for|also|then|now)\b/i;
const PAST = /\b(was|were|did|had|been|ago|yesterday|last|previous|past)\b/i;
const FUTURE = /\b(will|going to|gonna|tomorrow|next|coming|forecast\w*|should|shall|can i|can we)\b/i;
const BEST = /\b(best|cleanest|least polluted|lowest|safest)\b/i;
const WORST = /\b(worst|most polluted|dirtiest|highest|avoid)\b/i;
const ALL_PLACES = /\b(all|every|each) (of the )?(locations|stations|places|sites)\b|\beverywhere\b|\bwhich (station|location|place)s?\b/i;
const PLACES_WORD = /\b(stations?|locations?|places|cities|sites)\b/i;
const STORE_WORD = /\b(features?|groups?|tables?|columns?|schemas?|views?)\b/i;
const VIEW_NAME = /\b([a-z][a-z0-9]*_[a-z0-9_]+)\b/;

const needsPlace = (intent: Intent) => !['knowledge', 'list_locations', 'list_feature_groups', 'data_status'].includes(intent);

function direction(question: string): Direction {
  const past = PAST.test(question);
  const future = FUTURE.test(question);
  return past && !future ? 'past' : future && !past ? 'future' : 'any';
}

/** The question with places and dates replaced by "place" and "date", so examples match whatever was named. */
function mask(question: string, spans: { index: number; text: string; as: string }[]): string {
  let out = question;
  for (const s of [...spans].sort((a, b) => b.index - a.index)) out = out.slice(0, s.index) + s.as + out.slice(s.index + s.text.length);
  return out.toLowerCase();
}

/** Words left once places, dates and filler are taken out: "Tiantan vs Dongsi this weekend" has none, "a good restaurant in Dongsi" has three. */
function topicWords(question: string, spans: { index: number; text: string }[]): string[] {
  const rest = mask(
    question,
    spans.map((s) => ({ ...s, as: ' ' })),
  );
  return (rest.match(/[a-z]+/g) ?? []).filter((w) => w.length > 1 && !FILLER.has(w) && !COMMON_WORDS.has(w));
}

export type DateResolver = typeof resolveDates;

/**
 * Plans one question. `previous` is the topic of the question before it in a chat: a follow-up that names
 * only a place or a date ("and the day after tomorrow?") keeps that topic's intent and places.
 */
export async function planQuestion(
  asked: string,
  ctx: AgentContext,
  classifier: IntentClassifier,
  previous?: Topic,
  dates: DateResolver = resolveDates,
): Promise<Plan> {
  // Sentences that try to instruct the assistant are not part of the question; what is left is planned.
  const question = questionWithoutInstructions(asked).trim();
  if (question === '' || OFF_TOPIC.test(question)) return { kind: 'decline' };
  const places = findPlaces(question, ctx.locations);
  const ranges = dates(question, ctx.today, direction(question));
  const spans = [...places.map((p) => ({ ...p, as: 'place' })), ...ranges.map((r) => ({ ...r, as: 'date' }))];
  const ranked = await classifier.rank(mask(question, spans));
  const top = ranked[0];
  // Named places make a question ours unless it is plainly about something else ("a good restaurant in Dongsi").
  const placeOnly = places.length > 0 && (topicWords(question, spans).length === 0 || (top?.score ?? 0) >= PLACE_ONLY_MIN_SCORE);
  const ours = DOMAIN.test(question) || WHO.test(question) || SIMILAR.test(question) || placeOnly;
  const fits = top !== undefined && top.score >= MIN_SCORE && ours;
  const followUp = previous !== undefined && (places.length > 0 || ranges.length > 0) && (FOLLOW_UP.test(question) || !fits);
  if (!fits && !followUp) return { kind: 'decline' };

  let intent = followUp ? previous!.intent : top!.intent;
  if (!followUp) intent = adjustIntent(intent, question, places.length > 0, ranges.length > 0, ranked);
  const superlative = BEST.test(question) ? 'best' : WORST.test(question) ? 'worst' : undefined;
  if (intent === 'best_day') intent = 'forecast';
  // The dates decide between history and forecast when the wording alone did not.
  const tomorrow = addDays(ctx.today, 1);
  if (intent === 'forecast' && ranges.length > 0 && ranges.every((r) => r.end < tomorrow)) intent = 'history';
  if (intent === 'history' && ranges.length > 0 && ranges.every((r) => r.start > ctx.today)) intent = 'forecast';

  let targets: KnownLocation[] = places.map((p) => p.location);
  if (targets.length === 0 && followUp) targets = previous!.places.slice();
  if (targets.length === 0 && needsPlace(intent)) {
    if (ALL_PLACES.test(question)) targets = ctx.locations.slice();
    else if (ctx.locations.length === 1) targets = ctx.locations.slice();
    else return { kind: 'ask_back', intent };
  }
  const calls = callsFor(intent, question, ctx.today, targets, ranges).slice(0, MAX_CALLS);
  const wantsSuperlative = (!followUp && top!.intent === 'best_day') || superlative !== undefined;
  return { kind: 'calls', intent, calls, superlative: wantsSuperlative ? (superlative ?? 'best') : undefined, topic: { intent, places: targets } };
}

/** Keyword rules over the nearest example, for what similarity alone gets wrong. */
function adjustIntent(intent: Intent, question: string, hasPlace: boolean, hasDate: boolean, ranked: { intent: Intent; score: number }[]): Intent {
  if (SIMILAR.test(question) && intent !== 'knowledge') return 'similar_days';
  // "What stations are in the store?" is about places, whatever the word "store" suggests.
  if (intent === 'list_feature_groups' && PLACES_WORD.test(question) && !STORE_WORD.test(question.replace(/\bstore\b/gi, ''))) return 'list_locations';
  const why = WHY.test(question);
  if (intent === 'explain' && !why) return 'forecast';
  if (why && hasPlace && direction(question) !== 'past' && (intent === 'forecast' || intent === 'best_day' || intent === 'feature_vector')) return 'explain';
  // With no place and no date, a general question ("how can I protect myself on a polluted day?") is for the knowledge base.
  if (!hasPlace && !hasDate && needsPlace(intent)) {
    const knowledge = ranked.find((r) => r.intent === 'knowledge');
    if (knowledge && knowledge.score >= ranked[0]!.score - KNOWLEDGE_MARGIN) return 'knowledge';
  }
  return intent;
}

function callsFor(intent: Intent, question: string, today: string, targets: KnownLocation[], ranges: DateRange[]): PlannedCall[] {
  const each = (f: (l: KnownLocation) => PlannedCall[]) => targets.flatMap(f);
  switch (intent) {
    case 'forecast':
      return each((l) => (ranges.length === 0 ? [forecastCall(l, undefined, today)] : ranges.map((r) => forecastCall(l, r, today))));
    case 'history':
      return each((l) =>
        ranges.length === 0 ? [historyCall(l, addDays(today, 1 - HISTORY_DEFAULT_DAYS), today)] : ranges.map((r) => historyCall(l, r.start, r.end, today)),
      );
    case 'similar_days':
      return each((l) => [{ name: 'find_similar_days', args: { location: l.id, ...(ranges[0] ? { date: ranges[0].start } : {}), ...howMany(question) } }]);
    case 'explain':
      return each((l) => [{ name: 'explain_forecast', args: { location: l.id, date: clampToForecast(ranges[0]?.start ?? addDays(today, 1), today) } }]);
    case 'feature_vector': {
      const view = VIEW_NAME.exec(question.toLowerCase())?.[1] ?? 'pm25_state';
      return each((l) => [{ name: 'get_feature_vector', args: { feature_view: view, entity: { location_id: l.id } } }]);
    }
    case 'knowledge':
      return [{ name: 'search_similar', args: { feature_group: 'documents', query: question.trim().slice(0, 2000), k: 3 } }];
    case 'list_locations':
      return [{ name: 'list_locations', args: {} }];
    case 'list_feature_groups':
      return [{ name: 'list_feature_groups', args: {} }];
    case 'data_status':
      return [{ name: 'get_data_status', args: {} }];
    default:
      return [];
  }
}

/** "the 3 most similar days" → k 3. */
function howMany(question: string): { k?: number } {
  const m = HOW_MANY.exec(question)?.[1]?.toLowerCase();
  if (!m) return {};
  const k = countOf(m);
  return k >= 1 && k <= 50 ? { k } : {};
}

function clampToForecast(date: string, today: string): string {
  const first = addDays(today, 1);
  const last = addDays(today, FORECAST_DAYS);
  return date < first ? first : date > last ? last : date;
}

/** The forecast days of a period, clipped to the 7 days after today; a period wholly in the past reads history instead. */
function forecastCall(l: KnownLocation, r: DateRange | undefined, today: string): PlannedCall {
  if (!r) return { name: 'get_air_quality_forecast', args: { location: l.id } };
  const first = addDays(today, 1);
  if (r.end < first) return historyCall(l, r.start, r.end, today);
  const start = r.start < first ? first : r.start;
  const last = addDays(today, FORECAST_DAYS);
  const end = r.end > last ? last : r.end;
  return { name: 'get_air_quality_forecast', args: { location: l.id, start_date: start, ...(end !== start ? { end_date: end } : {}) } };
}

function historyCall(l: KnownLocation, start: string, end: string, today?: string): PlannedCall {
  const last = today !== undefined && end > today ? today : end;
  const earliest = addDays(last, 1 - MAX_HISTORY_DAYS);
  return { name: 'get_air_quality_history', args: { location: l.id, start_date: start < earliest ? earliest : start, end_date: last } };
}
