// The planner's answers: tool results rendered through the templates of prompts/answers.md, numbers exactly as the tools gave them.
import { answerText } from '../prompt-files.js';
import type { AgentContext } from '../types.js';
import { weekdayName } from './dates.js';
import { stripInstructions } from '../guardrails.js';
import type { Plan, PlannedCall } from './plan.js';

export interface CallResult {
  call: PlannedCall;
  ok: boolean;
  /** The parsed structured result of a successful call. */
  data?: Record<string, unknown>;
  error?: string;
}

type Row = Record<string, unknown>;

const t = answerText;

/** One decimal, as the tools report; the guardrail accepts it as the tool's value rounded. */
const n = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? String((Math.sign(x) * Math.round(Math.abs(x) * 10)) / 10) : 'n/a');
const signed = (x: unknown) => (typeof x === 'number' && x > 0 ? `+${n(x)}` : n(x));
const placeOf = (data: Row) => String((data.location as Row | undefined)?.name ?? (data.location as Row | undefined)?.location_id ?? 'there');
const KIND_NOTES: Record<string, string> = { replayed: 'kind_replayed', synthetic: 'kind_synthetic', model: 'kind_model' };
const kindNote = (kind: unknown) => (typeof kind === 'string' && KIND_NOTES[kind] ? ` ${t(KIND_NOTES[kind])}` : '');
const category = (d: Row) => String(d.category ?? 'no AQI category');
const advice = (d: Row) => String(d.advice ?? '');

export function declineAnswer(ctx: AgentContext): string {
  return t('decline', { example: ctx.locations[0]?.name ?? 'your city' });
}

export function askBackAnswer(ctx: AgentContext): string {
  const names = ctx.locations.slice(0, 15).map((l) => l.name);
  return t('ask_back', { places: names.join(', ') + (ctx.locations.length > 15 ? ', …' : '') });
}

export function composeAnswer(plan: Extract<Plan, { kind: 'calls' }>, results: CallResult[]): string {
  const lines: string[] = [];
  const forecasts: { place: string; day: Row }[] = [];
  for (const r of results) {
    if (!r.ok || !r.data) {
      lines.push(t('tool_error', { what: describeCall(r.call), error: (r.error ?? 'no result').split('\n')[0]! }));
      continue;
    }
    const d = r.data;
    switch (r.call.name) {
      case 'get_air_quality_forecast':
        lines.push(...forecastLines(d, plan.superlative));
        for (const day of (d.days as Row[]) ?? []) forecasts.push({ place: placeOf(d), day });
        break;
      case 'get_air_quality_history':
        lines.push(...historyLines(d, plan.superlative));
        break;
      case 'search_similar':
        lines.push(knowledgeLine(d, String(r.call.args.query ?? '')));
        break;
      case 'find_similar_days':
        lines.push(...similarLines(d, r.call));
        break;
      case 'explain_forecast':
        lines.push(...explainLines(d));
        break;
      case 'get_feature_vector':
        lines.push(featureVectorLine(d));
        break;
      case 'list_locations':
        lines.push(t('locations', { places: ((d.locations as Row[]) ?? []).map((l) => `${l.name} (${l.location_id})`).join(', ') }));
        break;
      case 'list_feature_groups':
        lines.push(t('feature_groups', { groups: ((d.feature_groups as Row[]) ?? []).map((g) => `${g.name} v${g.version} (${g.description})`).join('; ') }));
        break;
      case 'get_data_status':
        lines.push(...statusLines(d));
        break;
      default:
        lines.push(JSON.stringify(d).slice(0, 1000));
    }
  }
  lines.push(...comparisonLines(forecasts));
  return lines.filter((l) => l.length > 0).join('\n');
}

function describeCall(call: PlannedCall): string {
  const args = Object.entries(call.args)
    .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
  // "I could not get {what}": get_air_quality_forecast reads "air quality forecast", not "get get …".
  return `${call.name.replace(/^get_/, '').replace(/_/g, ' ')}${args ? ` (${args})` : ''}`;
}

function dayValues(place: string, d: Row): Record<string, string | number> {
  return { place, weekday: weekdayName(String(d.date)), date: String(d.date), pm25: n(d.pm25), category: category(d), advice: advice(d) };
}

function extreme(days: Row[], which: 'best' | 'worst'): Row | undefined {
  const valued = days.filter((d) => typeof d.pm25 === 'number');
  if (valued.length === 0) return undefined;
  return valued.reduce((a, b) => ((which === 'best' ? (b.pm25 as number) < (a.pm25 as number) : (b.pm25 as number) > (a.pm25 as number)) ? b : a));
}

function forecastLines(d: Row, superlative: 'best' | 'worst' | undefined): string[] {
  const days = (d.days as Row[]) ?? [];
  const place = placeOf(d);
  const out: string[] = [];
  const pick = superlative && days.length > 1 ? extreme(days, superlative) : undefined;
  if (pick) out.push(t(superlative === 'best' ? 'best_day' : 'worst_day', dayValues(place, pick)));
  for (const day of days) {
    out.push(t('forecast_day', { ...dayValues(place, day), lower: n(day.pm25_lower), upper: n(day.pm25_upper) }));
  }
  const first = days[0];
  if (first)
    out.push(
      t('forecast_source', { issue_date: String(first.issue_date), model: String(first.model), perfect: first.perfect_forecast ? t('forecast_perfect') : '' }),
    );
  if (typeof d.data_age === 'string') out.push(t('data_age', { note: d.data_age }));
  return out;
}

function historyLines(d: Row, superlative: 'best' | 'worst' | undefined): string[] {
  const place = placeOf(d);
  const days = ((d.days as Row[]) ?? []).filter((x) => typeof x.pm25 === 'number');
  if (days.length === 0) {
    const available = (d.available as Row | undefined) ?? {};
    return [
      t('history_no_data', {
        place,
        start: String(d.start_date),
        end: String(d.end_date),
        first: String(available.first ?? 'nowhere'),
        last: String(available.last ?? 'nowhere'),
      }),
    ];
  }
  const kind = kindNote(days[0]!.kind);
  if (days.length === 1) return [t('history_day', { ...dayValues(place, days[0]!), kind })];
  const lo = extreme(days, 'best')!;
  const hi = extreme(days, 'worst')!;
  const out: string[] = [];
  if (superlative) out.push(t(superlative === 'best' ? 'best_day' : 'worst_day', dayValues(place, superlative === 'best' ? lo : hi)));
  out.push(
    t('history_range', {
      place,
      start: String(d.start_date),
      end: String(d.end_date),
      kind,
      min: n(lo.pm25),
      min_date: String(lo.date),
      min_category: category(lo),
      max: n(hi.pm25),
      max_date: String(hi.date),
      max_category: category(hi),
    }),
  );
  // A week or less: every day, so the answer can be read as a table.
  if (days.length <= 7) for (const day of days) out.push(t('history_day_short', dayValues(place, day)));
  if (typeof d.data_age === 'string') out.push(t('data_age', { note: d.data_age }));
  return out;
}

const QUERY_FILLER = new Set('what whats the for and are is does how can should with about from that this which when will'.split(' '));
const wordsOf = (text: string) => new Set((text.toLowerCase().match(/[a-z0-9.]{3,}/g) ?? []).filter((w) => !QUERY_FILLER.has(w)));

/**
 * The chunk to quote: of the nearest few, the one sharing most words with the question (ties keep the search's order),
 * because the hashing embedder ranks by overall likeness and the answer shows one chunk only.
 */
function bestChunk(results: Row[], query: string): Row | undefined {
  const asked = wordsOf(query);
  const overlap = (r: Row) => [...wordsOf(String((r.row as Row | undefined)?.text ?? ''))].filter((w) => asked.has(w)).length;
  const scored = results.map((r, i) => ({ r, i, o: overlap(r) }));
  scored.sort((a, b) => b.o - a.o || a.i - b.i);
  return scored[0]?.r.row as Row | undefined;
}

function knowledgeLine(d: Row, query: string): string {
  const hit = bestChunk((d.results as Row[]) ?? [], query);
  if (!hit) return t('knowledge_none');
  // A knowledge-base chunk is data: sentences that address the assistant are dropped, never followed.
  const text = stripInstructions(String(hit.text ?? '')).text;
  return t('knowledge', { title: String(hit.title ?? hit.doc_id ?? ''), chunk_id: String(hit.chunk_id ?? ''), text: shorten(text, 700) });
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const end = cut.lastIndexOf('. ');
  return end > max / 2 ? cut.slice(0, end + 1) : `${cut}…`;
}

function similarLines(d: Row, call: PlannedCall): string[] {
  const day = (d.day as Row | undefined) ?? {};
  const out = [t('similar_intro', { date: String(day.date ?? call.args.date ?? ''), place: String(day.location_id ?? call.args.location) })];
  for (const s of ((d.similar as Row[]) ?? []).slice(0, 5)) {
    out.push(
      t('similar_day', { date: String(s.date), location: String(s.location_id), pm25: n(s.pm25), next: ((s.next_days as unknown[]) ?? []).map(n).join(', ') }),
    );
  }
  return out;
}

function explainLines(d: Row): string[] {
  const out = [
    t('explain', {
      place: String(d.location_id),
      date: String(d.date),
      pm25: n(d.pm25),
      issue_date: String(d.issue_date),
      model: String(d.model),
      baseline: n(d.baseline),
    }),
  ];
  for (const x of ((d.drivers as Row[]) ?? []).slice(0, 5)) {
    out.push(t('explain_driver', { meaning: String(x.meaning), feature: String(x.feature), value: n(x.value), contribution: signed(x.contribution) }));
  }
  return out;
}

function featureVectorLine(d: Row): string {
  const features = Object.entries((d.features as Row) ?? {})
    .map(([k, v]) => `${k} = ${typeof v === 'number' ? n(v) : String(v)}`)
    .join(', ');
  const entity = Object.values((d.entity as Row) ?? {}).join(', ');
  return t('feature_vector', { entity, feature_view: String(d.feature_view), version: String(d.version), features });
}

/** Several places on one day: name the cleanest and the most polluted. */
function comparisonLines(forecasts: { place: string; day: Row }[]): string[] {
  const byDate = new Map<string, { place: string; day: Row }[]>();
  for (const f of forecasts) byDate.set(String(f.day.date), [...(byDate.get(String(f.day.date)) ?? []), f]);
  const out: string[] = [];
  for (const [date, list] of byDate) {
    if (new Set(list.map((x) => x.place)).size < 2) continue;
    const sorted = [...list].sort((a, b) => (a.day.pm25 as number) - (b.day.pm25 as number));
    const best = sorted[0]!;
    const worst = sorted.at(-1)!;
    out.push(t('cleanest_place', { date, place: best.place, pm25: n(best.day.pm25), worst_place: worst.place, worst_pm25: n(worst.day.pm25) }));
  }
  return out;
}

/** The data status in words: today, each place's last observation and forecast, what is stale. */
function statusLines(d: Row): string[] {
  const places = (d.places as Row[]) ?? [];
  const out = [t('status_today', { today: String(d.today), state: d.stale ? t('status_stale') : t('status_fresh') })];
  for (const p of places) {
    const stale = (p.stale as string[] | undefined) ?? [];
    out.push(
      t('status_place', {
        place: String(p.name),
        last: String(p.last_observation ?? '-'),
        issued: String(p.forecast_issued ?? '-'),
        until: String(p.forecast_until ?? '-'),
        stale: stale.length > 0 ? ` (${stale.join('; ')})` : '',
      }),
    );
  }
  return out;
}
