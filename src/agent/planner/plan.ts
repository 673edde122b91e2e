// From a question to one plan: the intent, the places, the periods, what the answer should stress, and the tool calls.
import { addDays } from '../../core/dates.js';
import type { AgentContext, KnownLocation } from '../types.js';
import { questionWithoutInstructions } from '../guardrails.js';
import { callsFor, type Period, type PlannedCall } from './calls.js';
import type { Topic } from './conversation.js';
import { resolveDates, type DateRange, type Direction } from './dates.js';
import type { Intent, IntentClassifier, IntentScore } from './intents.js';
import { COMMON_WORDS, findPlaces, normalize } from './places.js';
import { has } from './vocabulary.js';

export type { PlannedCall };

/** What the answer should stress beyond the values: the weather, every day, the best or worst, a comparison. */
export interface Emphasis {
  superlative?: 'best' | 'worst';
  weather: boolean;
  /** Only the weather was asked about: the answer leads with it. */
  weatherOnly: boolean;
  daily: boolean;
  /** The city a question named instead of a place ("in Beijing"): the answer summarises its places. */
  city?: string;
  /** More calls were needed than one question makes: the answer says it covers only part. */
  partial?: boolean;
}

export type Plan =
  { kind: 'calls'; intent: Intent; calls: PlannedCall[]; emphasis: Emphasis; topic: Topic } | { kind: 'ask_back'; intent: Intent } | { kind: 'decline' };

/** Below this similarity to every example, no tool fits. */
const MIN_SCORE = 0.2;
const MAX_CALLS = 12;
/** Periods are joined into one for many places only when the joined one is at most this long. */
const MAX_SPAN_DAYS = 31;
/** A question without words of ours (or naming a place among other words) must be this close to an example. */
const PLACE_ONLY_MIN_SCORE = 0.6;
/** How much nearer a request for something else must be than our nearest example when the question has words of ours. */
const OFF_TOPIC_MARGIN = 0.1;
/** A general question (no place, no date) goes to the knowledge base when that intent scores within this of the best. */
const KNOWLEDGE_MARGIN = 0.08;

// Words that carry no topic; a question naming a place with other words but none of ours ("a restaurant in Dongsi") is not ours.
const FILLER = new Set(
  'a an and are as at be been better by can do does did for from get give going gonna how i in is it its me my of on or please show tell than that the then this to vs versus was were what when where which will with worse you ok okay about there same also now'.split(
    ' ',
  ),
);
const needsPlace = (intent: Intent) => !['knowledge', 'list_locations', 'list_feature_groups', 'data_status'].includes(intent);

function direction(text: string): Direction {
  const past = has('past', text);
  const future = has('future', text);
  return past && !future ? 'past' : future && !past ? 'future' : 'any';
}

// Clauses of a multi-part question: "how was Sunday, and what's Saturday looking like?" has one of each tense.
const CLAUSE_BREAK = /[,;?]|\b(?:and|but|while|whereas|compared (?:with|to)|versus|vs\.?|than)\b/gi;

/** The direction of the clause an index falls in, else of the whole question. */
function clauseDirection(question: string): (index: number) => Direction {
  const breaks = [0, ...[...question.matchAll(CLAUSE_BREAK)].map((m) => m.index), question.length];
  const whole = direction(question);
  return (index) => {
    const from = breaks.filter((b) => b <= index).at(-1) ?? 0;
    const to = breaks.find((b) => b > index) ?? question.length;
    const own = direction(question.slice(from, to));
    return own === 'any' ? whole : own;
  };
}

interface Span {
  index: number;
  text: string;
  as: string;
}

/** The question with places and dates replaced by "place" and "date", so examples match whatever was named. */
function mask(question: string, spans: Span[]): string {
  let out = question;
  for (const s of [...spans].sort((a, b) => b.index - a.index)) out = out.slice(0, s.index) + s.as + out.slice(s.index + s.text.length);
  return out.toLowerCase();
}

/** Whether nothing but places, dates and filler words is left: "Dongsi", "in Tiantan please", "Shunyi tomorrow". */
export function onlyNames(question: string, spans: Span[]): boolean {
  const rest = mask(
    question,
    spans.map((s) => ({ ...s, as: ' ' })),
  );
  return (rest.match(/[a-z]+/g) ?? []).every((w) => FILLER.has(w) || w === 'please' || w === 'thanks');
}

/** Words left once places, dates and filler are taken out: "Tiantan vs Dongsi this weekend" has none, "a good restaurant in Dongsi" has three. */
export function topicWords(question: string, spans: Span[]): string[] {
  const rest = mask(
    question,
    spans.map((s) => ({ ...s, as: ' ' })),
  );
  return (rest.match(/[a-z]+/g) ?? []).filter((w) => w.length > 1 && !FILLER.has(w) && !COMMON_WORDS.has(w));
}

/** Places of a city the question names ("in Beijing"), where it names none of them. */
function cityNamed(question: string, locations: readonly KnownLocation[]): { city: string; places: KnownLocation[]; span: Span } | undefined {
  const text = normalize(question);
  for (const city of new Set(locations.flatMap((l) => (l.city ? [l.city] : [])))) {
    const m = new RegExp(`(?<![a-z])${normalize(city).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![a-z])`).exec(text);
    if (m)
      return {
        city,
        places: locations.filter((l) => l.city === city),
        span: { index: m.index, text: question.slice(m.index, m.index + city.length), as: 'place' },
      };
  }
  return undefined;
}

/**
 * The intent a rule of the vocabulary states outright, whatever example the question is nearest to. `named` is a
 * place (not a whole city): "why" about a place or a day explains its forecast; "why" in general is knowledge.
 */
function ruleIntent(question: string, named: boolean, dated: boolean): Intent | undefined {
  if (has('similar', question)) return 'similar_days';
  if (has('why', question) && direction(question) !== 'past') return named || dated ? 'explain' : 'knowledge';
  // With a place named, only a word of freshness ("is Dongsi's data up to date?"), not "current" or "reach", asks for the status.
  if (has('status', question) && !dated && (!named || has('freshness', question))) return 'data_status';
  if (has('general', question) && !named && !dated) return 'knowledge';
  return undefined;
}

/** The weather at a place or on a day ("will it rain tomorrow?"), not weather as a topic ("where does the weather data come from?"). */
const asksWeather = (r: Reading) =>
  has('weather', r.question) && (r.ranges.length > 0 || r.places.length > 0 || r.city !== undefined || has('future', r.question));

export type DateResolver = (text: string, today: string, direction: Direction | ((index: number) => Direction), anchor?: Period) => DateRange[];

interface Reading {
  question: string;
  places: KnownLocation[];
  city?: { city: string; places: KnownLocation[] };
  ranges: DateRange[];
  ranked: IntentScore[];
  topicFree: boolean;
}

/** Several periods at many places ("Saturday and Sunday in Beijing"): one period spanning them, when that keeps to the call limit. */
function fitPeriods(periods: Period[], places: number): Period[] {
  if (periods.length < 2 || places * periods.length <= MAX_CALLS) return periods;
  const start = periods.map((p) => p.start).sort()[0]!;
  const end = periods
    .map((p) => p.end)
    .sort()
    .at(-1)!;
  return addDays(start, MAX_SPAN_DAYS) >= end ? [{ start, end }] : periods;
}

/** Days inside another period the question names restate it ("this weekend … sat and sun"), unless the question compares them. */
function withoutRestatements(ranges: DateRange[], question: string): DateRange[] {
  if (has('compare', question)) return ranges;
  const inside = (a: DateRange, b: DateRange) => a !== b && b.start <= a.start && a.end <= b.end && (b.start !== a.start || b.end !== a.end);
  return ranges.filter((a) => !ranges.some((b) => inside(a, b)));
}

/** What the question names and which examples it is nearest to. */
async function read(question: string, ctx: AgentContext, classifier: IntentClassifier, previous: Topic | undefined, dates: DateResolver): Promise<Reading> {
  const found = findPlaces(question, ctx.locations);
  const city = found.length === 0 ? cityNamed(question, ctx.locations) : undefined;
  const ranges = withoutRestatements(dates(question, ctx.today, clauseDirection(question), previous?.periods[0]), question);
  const spans: Span[] = [...found.map((p) => ({ ...p, as: 'place' })), ...(city ? [city.span] : []), ...ranges.map((r) => ({ ...r, as: 'date' }))];
  const ranked = await classifier.rank(mask(question, spans));
  return { question, places: found.map((p) => p.location), city, ranges, ranked, topicFree: topicWords(question, spans).length === 0 };
}

/** Whether the question is ours, whether it follows up the chat, and the intent a rule states outright. */
function judge(r: Reading, ctx: AgentContext, previous: Topic | undefined): { byRule?: Intent; fits: boolean; followUp: boolean } {
  const question = r.question;
  const named = r.places.length > 0 || r.city !== undefined;
  const onTopic = r.ranked.find((x) => x.intent !== 'off_topic');
  // Nearest to a request for something else: declined, unless words of ours say otherwise and it is only a little nearer.
  const offTopic = r.ranked[0]?.intent === 'off_topic' && (!has('domain', question) || r.ranked[0].score - (onTopic?.score ?? 0) >= OFF_TOPIC_MARGIN);
  // "Right now" names today, which does not make "how far ahead does the forecast reach right now?" a question about a day.
  const dated = r.ranges.some((x) => x.start !== ctx.today || x.end !== ctx.today);
  const byRule = ruleIntent(question, r.places.length > 0 || (previous !== undefined && !named), dated);
  const signal = byRule !== undefined || asksWeather(r);
  const ours =
    !offTopic &&
    (has('domain', question) ||
      has('who', question) ||
      signal ||
      // In a chat, a close match to an example is ours without words of ours ("which day is best?").
      (previous !== undefined && (onTopic?.score ?? 0) >= PLACE_ONLY_MIN_SCORE) ||
      (named && (r.ranges.length > 0 || r.topicFree)));
  const fits = onTopic !== undefined && onTopic.score >= MIN_SCORE && ours;
  const followUp =
    previous !== undefined &&
    !offTopic &&
    (has('follow_up', question) ||
      r.topicFree ||
      (has('back_reference', question) && !named) ||
      (!fits && (named || r.ranges.length > 0)) ||
      (signal && !named));
  return { byRule, fits, followUp };
}

/**
 * Plans one question. `previous` is what the chat was about: a follow-up that names only a place, a date or a
 * reason ("and the day before?", "why?", "what about Tiantan?") keeps the rest of it.
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
  if (question === '' || has('machine', question)) return { kind: 'decline' };
  const r = await read(question, ctx, classifier, previous, dates);
  const { byRule, fits, followUp } = judge(r, ctx, previous);
  if (!fits && !followUp) return { kind: 'decline' };

  const intent = chooseIntent(r, byRule, followUp ? previous : undefined, ctx.today);
  let targets = r.city?.places ?? r.places;
  if (targets.length === 0 && (has('all_stations', question) || has('all_for_similar', question))) targets = ctx.locations.slice();
  // A question that needs a place and names none is about the chat's place ("which day is best?", "is that OK for a run?").
  const inherits = targets.length === 0 && previous !== undefined && (followUp || (needsPlace(intent) && previous.places.length > 0));
  if (inherits) targets = previous.places.slice();
  if (targets.length === 0 && needsPlace(intent)) {
    if (ctx.locations.length === 1) targets = ctx.locations.slice();
    else return { kind: 'ask_back', intent };
  }
  const periods: Period[] = r.ranges.length > 0 || !(followUp || inherits) ? r.ranges : previous!.periods;
  // The same call twice ("this weekend … sat and sun") is made once.
  const planned = [...new Map(callsFor(intent, question, ctx.today, targets, fitPeriods(periods, targets.length)).map((c) => [JSON.stringify(c), c])).values()];
  const calls = planned.slice(0, MAX_CALLS);
  const superlative = has('best', question) ? 'best' : has('worst', question) ? 'worst' : r.ranked[0]?.intent === 'best_day' ? 'best' : undefined;
  const emphasis: Emphasis = {
    superlative,
    weather: asksWeather(r),
    weatherOnly: asksWeather(r) && !has('air_words', question),
    daily: has('daily', question),
    ...(r.city ? { city: r.city.city } : {}),
    ...(planned.length > calls.length ? { partial: true } : {}),
  };
  return { kind: 'calls', intent, calls, emphasis, topic: { intent, places: targets, periods } };
}

/** The intent: a rule's, else the follow-up's topic's (unless the words say otherwise), else the nearest example's, adjusted by the dates. */
function chooseIntent(r: Reading, byRule: Intent | undefined, previous: Topic | undefined, today: string): Intent {
  const top = r.ranked.find((x) => x.intent !== 'off_topic')!;
  let intent: Intent = byRule ?? (previous && (r.topicFree || top.score < PLACE_ONLY_MIN_SCORE) ? previous.intent : top.intent);
  if (!byRule && !previous) intent = adjustIntent(intent, r);
  if (intent === 'best_day') intent = 'forecast';
  if (intent === 'explain' && !has('why', r.question)) intent = 'forecast';
  // The weather of a place or a day is read from the forecast or the history of those days.
  if (asksWeather(r) && !byRule && !['forecast', 'history'].includes(intent)) intent = 'forecast';
  // The dates decide between history and forecast when the wording alone did not.
  const dated = r.ranges.length > 0;
  if (intent === 'forecast' && dated && r.ranges.every((x) => x.end <= today)) intent = 'history';
  // A period reaching past today, asked about in anything but the past tense ("which day this week is cleanest?"), is forecast.
  if (intent === 'history' && dated && (r.ranges.every((x) => x.start > today) || (direction(r.question) !== 'past' && r.ranges.some((x) => x.end > today))))
    intent = 'forecast';
  return intent;
}

/** Intents only a word of their rule asks for: similar days need a word of likeness, the data status a word of freshness. */
const CUED: Partial<Record<Intent, Parameters<typeof has>[0]>> = { similar_days: 'similar', data_status: 'status' };

/** Keyword rules over the nearest example, for what similarity alone gets wrong. */
function adjustIntent(nearest: Intent, r: Reading): Intent {
  const q = r.question;
  const cued = (i: Intent) => CUED[i] === undefined || has(CUED[i], q);
  const intent = cued(nearest) ? nearest : (r.ranked.find((x) => x.intent !== 'off_topic' && cued(x.intent))?.intent ?? nearest);
  // "What stations are in the store?" is about places, whatever the word "store" suggests.
  if (intent === 'list_feature_groups' && has('places_word', q) && !has('store_word', q.replace(/\bstore\b/gi, ''))) return 'list_locations';
  const named = r.places.length > 0 || r.city !== undefined;
  // With no place and no date, a general question ("how can I protect myself on a polluted day?") is for the knowledge base.
  if (!named && r.ranges.length === 0 && needsPlace(intent)) {
    const knowledge = r.ranked.find((x) => x.intent === 'knowledge');
    if (knowledge && knowledge.score >= r.ranked[0]!.score - KNOWLEDGE_MARGIN) return 'knowledge';
  }
  return intent;
}
