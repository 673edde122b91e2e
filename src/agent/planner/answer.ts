// The planner's answers: the plan's tool results in words, through the templates of prompts/answers.md, numbers exactly as the tools gave them.
import { answerText as t } from '../prompt-files.js';
import type { AgentContext } from '../types.js';
import { stripInstructions } from '../guardrails.js';
import { weekdayName } from './dates.js';
import { cityDayLine, comparisonOfDays, comparisonOfPlaces, forecastLines, historyLines, n, type PlaceDay, type Row } from './answer-days.js';
import type { Plan, PlannedCall } from './plan.js';
import { TOOL, toolKeyOf } from './tool-names.js';

export interface CallResult {
  call: PlannedCall;
  ok: boolean;
  /** The parsed structured result of a successful call. */
  data?: Record<string, unknown>;
  error?: string;
}

export function declineAnswer(ctx: AgentContext): string {
  return t('decline', { example: ctx.locations[0]?.name ?? 'your city' });
}

export function askBackAnswer(ctx: AgentContext): string {
  const names = ctx.locations.slice(0, 15).map((l) => l.name);
  return t('ask_back', { places: names.join(', ') + (ctx.locations.length > 15 ? ', …' : '') });
}

/** When the server lacks a tool the plan needs: said in words, not the tool's name. */
export function missingToolAnswer(tool: string): string {
  return t('missing_tool', { what: t(`what_${toolKeyOf(tool) ?? 'other'}`, { place: 'there', dates: '' }).trim() });
}

/** A place's name for its id (or whatever the tool said). */
const nameOf = (ctx: AgentContext, id: unknown) => ctx.locations.find((l) => l.id === id)?.name ?? String(id ?? 'there');
const placeOf = (ctx: AgentContext, d: Row) =>
  String((d.location as Row | undefined)?.name ?? nameOf(ctx, (d.location as Row | undefined)?.location_id ?? d.location_id));

export function composeAnswer(plan: Extract<Plan, { kind: 'calls' }>, results: CallResult[], ctx: AgentContext): string {
  const lines: string[] = [];
  const days: PlaceDay[] = [];
  const city = plan.emphasis.city !== undefined && results.length > 1;
  for (const r of results) {
    if (!r.ok || !r.data) {
      lines.push(t('tool_error', { what: describeCall(r.call, ctx), error: forUsers(r.error ?? 'no result', ctx) }));
      continue;
    }
    const d = r.data;
    const place = placeOf(ctx, d);
    switch (r.call.name) {
      case TOOL.forecast:
      case TOOL.history: {
        const kind = r.call.name === TOOL.forecast ? 'forecast' : 'history';
        const list = ((d.days as Row[]) ?? []).filter((x) => typeof x.pm25 === 'number');
        days.push(...list.map((day) => ({ place, day, kind }) as PlaceDay));
        if (!city) lines.push(...(kind === 'forecast' ? forecastLines(d, place, plan.emphasis) : historyLines(d, place, plan.emphasis)));
        break;
      }
      case TOOL.search:
        lines.push(...knowledgeLines(d));
        break;
      case TOOL.similar:
        lines.push(...similarLines(d, r.call, ctx));
        break;
      case TOOL.explain:
        lines.push(...explainLines(d, ctx));
        break;
      case TOOL.vector:
        lines.push(featureVectorLine(d));
        break;
      case TOOL.locations:
        lines.push(t('locations', { places: ((d.locations as Row[]) ?? []).map((l) => `${l.name} (${l.city ?? l.location_id})`).join(', ') }));
        break;
      case TOOL.groups:
        lines.push(t('feature_groups', { groups: ((d.feature_groups as Row[]) ?? []).map((g) => `${g.name} v${g.version} (${g.description})`).join('; ') }));
        break;
      case TOOL.status:
        lines.push(...statusLines(d));
        break;
      default:
        lines.push(JSON.stringify(d).slice(0, 1000));
    }
  }
  if (plan.emphasis.partial) lines.push(t('partial_places'));
  const summary = comparisonOfPlaces(days, city ? plan.emphasis.city : undefined);
  if (city) lines.unshift(...summary, ...days.map(cityDayLine));
  else lines.push(...summary, ...comparisonOfDays(days));
  return lines
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .join('\n');
}

/** What a failed call was for, in words: "the forecast for Dongsi (2017-02-24)". */
function describeCall(call: PlannedCall, ctx: AgentContext): string {
  const a = call.args;
  const dates = [a.start_date ?? a.date, a.end_date].filter((x) => typeof x === 'string');
  const place = typeof a.location === 'string' ? nameOf(ctx, a.location) : 'there';
  return t(`what_${toolKeyOf(call.name) ?? 'other'}`, { place, dates: dates.length ? ` (${[...new Set(dates)].join(' to ')})` : '' });
}

// Advice to the model or the operator inside a tool's error, which an end user can do nothing with.
const FOR_MODELS: RegExp[] = [
  /[;,]?\s*(?:please\s+)?(?:run|use|try|call)\s+`[^`]*`[^;.]*/gi, // "; run `airq forecast` to make one"
  /[;,]?\s*\(?(?:e\.g\.\s*)?`[^`]*`\)?/g, // "(e.g. `airq demo`)", "with `airq demo`"
  /\.?\s*(?:for [^;,.]*?)?\s*(?:call|use|try)\s+(?:get|list|find|search|explain|add)_[a-z_]+[^;.]*\.?/gi, // "Call list_locations for every location with data."
];

/**
 * A tool's error as an end user can act on it: no commands to run, no tool names, places by name. The tools
 * write their errors for the model that called them ("call list_locations", "run `airq …`").
 */
export function forUsers(error: string, ctx: AgentContext): string {
  let e = error.split('\n')[0]!;
  for (const re of FOR_MODELS) e = e.replace(re, '');
  e = e.replace(/\b(?:get|list|find|search|explain|add)_[a-z_]+\b/g, 'that request');
  for (const l of ctx.locations) e = e.replace(new RegExp(`(?<![\\w-])${l.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'g'), l.name);
  e = e
    .replace(/\s+([.,;:])/g, '$1')
    .replace(/([.,;:])\1+/g, '$1')
    .replace(/\s+(?:with|e\.g\.)$/i, '')
    .trim()
    .replace(/[;,:]$/, '');
  return e.length > 0 ? `${e[0]!.toUpperCase()}${e.slice(1)}${/[.!?]$/.test(e) ? '' : '.'}` : t('error_unknown');
}

/**
 * The best hit of the search (hybrid: words and meaning) that contradicts nothing in the health table, quoted with its
 * provenance; a better-ranked hit that does contradict it is named with the canonical value instead of being quoted.
 */
function knowledgeLines(d: Row): string[] {
  const results = (d.results as Row[]) ?? [];
  if (results.length === 0) return [t('knowledge_none')];
  const contradicts = (r: Row) => ((r.checks as Row | undefined)?.contradicts as Row[] | undefined) ?? [];
  const clean = results.find((r) => contradicts(r).length === 0);
  const out: string[] = [];
  for (const r of results.slice(0, clean ? results.indexOf(clean) : 1)) {
    const c = contradicts(r)[0]!;
    out.push(t('knowledge_contradicted', { ...quoted(r), says: String(c.says), canonical: String(c.canonical) }));
  }
  if (clean) {
    // A knowledge-base chunk is data: sentences that address the assistant are dropped, never followed (the tool drops them too).
    const text = stripInstructions(String((clean.row as Row).text ?? '')).text;
    out.push(t('knowledge', { ...quoted(clean), text: shorten(text, 700) }));
  }
  return out;
}

/** A hit's title and where it came from: file, chunk, a prefix of its SHA-256 (up to a letter, so it never reads as a number) and when it was added. */
function quoted(r: Row): { title: string; provenance: string } {
  const row = r.row as Row;
  const p = (r.provenance as Row | undefined) ?? {};
  const hash = typeof p.content_hash === 'string' ? p.content_hash : '';
  const short = hash.slice(0, Math.max(12, hash.search(/[a-f]/) + 1));
  const parts = [
    [p.source, row.chunk_id].filter((x) => typeof x === 'string').join(' · '),
    short ? `sha256 ${short}` : '',
    typeof p.added_at === 'string' ? `added ${p.added_at.slice(0, 10)}` : '',
  ];
  return { title: String(row.title ?? row.doc_id ?? ''), provenance: parts.filter(Boolean).join(', ') };
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const end = cut.lastIndexOf('. ');
  return end > max / 2 ? cut.slice(0, end + 1) : `${cut}…`;
}

function similarLines(d: Row, call: PlannedCall, ctx: AgentContext): string[] {
  const day = (d.day as Row | undefined) ?? {};
  const out = [t('similar_intro', { date: String(day.date ?? call.args.date ?? ''), place: nameOf(ctx, day.location_id ?? call.args.location) })];
  for (const s of ((d.similar as Row[]) ?? []).slice(0, 5)) {
    const next = ((s.next_days as unknown[]) ?? []).map(n).join(', ');
    out.push(t('similar_day', { date: String(s.date), location: nameOf(ctx, s.location_id), pm25: n(s.pm25), next }));
  }
  return out;
}

/** Which way a wind component blows from: northward wind below zero comes from the north. */
const WIND_FROM: Record<string, [string, string]> = { northward: ['south', 'north'], eastward: ['west', 'east'] };

/**
 * A driver in plain words: "mean wind speed, m/s, on the day" with 2.1 → "mean wind speed (2.1 m/s on the day)";
 * a wind component becomes where the wind came from ("wind from the north (0.6 m/s the day before)").
 */
function plainDriver(meaning: string, value: unknown): { what: string; value: string } {
  const [what = meaning, unit = '', ...rest] = meaning.split(', ');
  const when = rest.join(', ');
  const bare = unit.replace(/\s*\(.*\)$/, '');
  const wind = /^(northward|eastward) wind$/.exec(what);
  const name = wind && typeof value === 'number' ? `wind from the ${WIND_FROM[wind[1]!]![value < 0 ? 1 : 0]}` : what;
  const shown = typeof value === 'number' ? n(wind ? Math.abs(value) : value) : 'n/a';
  return { what: name, value: `${shown}${bare ? ` ${bare}` : ''}${when ? ` ${when}` : ''}` };
}

/** Why a forecast is what it is, in plain words: the value and its category, then the two or three biggest influences. */
function explainLines(d: Row, ctx: AgentContext): string[] {
  const date = String(d.date);
  const place = nameOf(ctx, d.location_id);
  const out = [
    t('explain', { place, weekday: weekdayName(date), date, pm25: n(d.pm25), category: String(d.category ?? 'no AQI category'), baseline: n(d.baseline) }),
  ];
  for (const x of ((d.drivers as Row[]) ?? []).slice(0, 3)) {
    const f = plainDriver(String(x.meaning), x.value);
    const c = x.contribution as number;
    out.push(
      t('explain_driver', {
        what: f.what,
        value: f.value,
        direction: t(c >= 0 ? 'explain_up' : 'explain_down'),
        amount: n(Math.abs(c)),
      }),
    );
  }
  const interval = intervalLine(d.interval as Row | undefined);
  if (interval) out.push(interval);
  if (typeof d.advice === 'string' && d.advice) out.push(d.advice);
  out.push(t('explain_source', { issue_date: String(d.issue_date), model: String(d.model) }));
  return out;
}

/** The interval in one sentence: its ends, wider or narrower than on an average day, and the feature that did most of it. */
function intervalLine(i: Row | undefined): string | undefined {
  if (!i || typeof i.lower !== 'number' || typeof i.upper !== 'number') return undefined;
  const wider = (i.band_width as number) >= (i.typical_band_width as number);
  const top = ((i.wideners as Row[]) ?? []).find((w) => (w.widening as number) >= 0 === wider);
  const f = top ? plainDriver(String(top.meaning), top.value) : undefined;
  return t('explain_interval', {
    level: String(i.level_percent ?? 80),
    lower: n(i.lower),
    upper: n(i.upper),
    width: t(wider ? 'explain_wider' : 'explain_narrower'),
    because: f ? t('explain_because', { what: f.what, value: f.value }) : '',
  });
}

function featureVectorLine(d: Row): string {
  const features = Object.entries((d.features as Row) ?? {})
    .map(([k, v]) => `${k} = ${typeof v === 'number' ? n(v) : String(v)}`)
    .join(', ');
  const entity = Object.values((d.entity as Row) ?? {}).join(', ');
  return t('feature_vector', { entity, feature_view: String(d.feature_view), version: String(d.version), features });
}

/** The data status in words: today, each place's last observation and forecast, what is stale. */
function statusLines(d: Row): string[] {
  const places = (d.places as Row[]) ?? [];
  const out = [t('status_today', { today: String(d.today), state: d.stale ? t('status_stale') : t('status_fresh') })];
  for (const p of places) {
    const stale = (p.stale as string[] | undefined) ?? [];
    const values = { place: String(p.name), last: String(p.last_observation ?? '-'), issued: String(p.forecast_issued ?? '-') };
    out.push(t('status_place', { ...values, until: String(p.forecast_until ?? '-'), stale: stale.length > 0 ? ` (${stale.join('; ')})` : '' }));
  }
  return out;
}
