// From an intent, places and periods to tool calls: one per place and period, past periods to history, future ones to the forecast.
import { addDays } from '../../core/dates.js';
import type { KnownLocation } from '../types.js';
import { countOf, type Period } from './dates.js';
import type { Intent } from './intents.js';
import { TOOL } from './tool-names.js';
import { has, match } from './vocabulary.js';

export interface PlannedCall {
  name: string;
  args: Record<string, unknown>;
}

export type { Period };

export const FORECAST_DAYS = 7;
const HISTORY_DEFAULT_DAYS = 7;
const MAX_HISTORY_DAYS = 366;

export function callsFor(intent: Intent, question: string, today: string, targets: KnownLocation[], ranges: Period[]): PlannedCall[] {
  const each = (f: (l: KnownLocation) => PlannedCall[]) => targets.flatMap(f);
  switch (intent) {
    case 'forecast':
      return each((l) => (ranges.length === 0 ? [forecastCall(l, undefined, today)] : ranges.map((r) => forecastCall(l, r, today))));
    case 'history':
      return each((l) =>
        ranges.length === 0
          ? [historyCall(l, addDays(today, 1 - HISTORY_DEFAULT_DAYS), today)]
          : ranges.map((r) => (r.start > today ? forecastCall(l, r, today) : historyCall(l, r.start, r.end, today))),
      );
    case 'similar_days':
      return similarCalls(question, targets, ranges, today);
    case 'explain':
      return each((l) => [{ name: TOOL.explain, args: { location: l.id, date: clampToForecast(ranges[0]?.start ?? addDays(today, 1), today) } }]);
    case 'feature_vector': {
      const view = match('view_name', question.toLowerCase())?.[1] ?? 'pm25_state';
      return each((l) => [{ name: TOOL.vector, args: { feature_view: view, entity: [{ column: 'location_id', value: l.id }] } }]);
    }
    case 'knowledge':
      return [{ name: TOOL.search, args: { feature_group: 'documents', query: question.trim().slice(0, 2000), k: 3 } }];
    case 'list_locations':
      return [{ name: TOOL.locations, args: {} }];
    case 'list_feature_groups':
      return [{ name: TOOL.groups, args: {} }];
    case 'data_status':
      return [{ name: TOOL.status, args: {} }];
    default:
      return [];
  }
}

/**
 * Days like a given one: at the first place named (across every place when asked), k when a count is given. A day
 * not yet observed (a forecast day the chat was about) has no pattern: the tool then takes the latest observed day.
 */
function similarCalls(question: string, targets: KnownLocation[], ranges: Period[], today: string): PlannedCall[] {
  const all = has('all_for_similar', question);
  const places = all ? targets.slice(0, 1) : targets;
  const date = ranges[0] && ranges[0].start <= today ? { date: ranges[0].start } : {};
  return places.map((l) => ({ name: TOOL.similar, args: { location: l.id, ...date, ...howMany(question), ...(all ? { all_locations: true } : {}) } }));
}

/** "the 3 most similar days" → k 3. */
function howMany(question: string): { k?: number } {
  const m = match('how_many', question);
  const word = (m?.[1] ?? m?.[2])?.toLowerCase();
  if (!word) return {};
  const k = countOf(word);
  return k >= 1 && k <= 50 ? { k } : {};
}

function clampToForecast(date: string, today: string): string {
  const first = addDays(today, 1);
  const last = addDays(today, FORECAST_DAYS);
  return date < first ? first : date > last ? last : date;
}

/** The forecast days of a period, clipped to the 7 days after today; a period wholly in the past reads history instead. */
export function forecastCall(l: KnownLocation, r: Period | undefined, today: string): PlannedCall {
  if (!r) return { name: TOOL.forecast, args: { location: l.id } };
  const first = addDays(today, 1);
  if (r.end < first) return historyCall(l, r.start, r.end, today);
  const last = addDays(today, FORECAST_DAYS);
  // Wholly beyond the forecast days: asked as said, and the tool's answer says which days it covers.
  if (r.start > last) return { name: TOOL.forecast, args: { location: l.id, start_date: r.start, ...(r.end !== r.start ? { end_date: r.end } : {}) } };
  const start = r.start < first ? first : r.start;
  const end = r.end > last ? last : r.end;
  return { name: TOOL.forecast, args: { location: l.id, start_date: start, ...(end !== start ? { end_date: end } : {}) } };
}

/** Observed days of a period, ending today at the latest and at most a year long. */
export function historyCall(l: KnownLocation, start: string, end: string, today?: string): PlannedCall {
  const last = today !== undefined && end > today ? today : end;
  const earliest = addDays(last, 1 - MAX_HISTORY_DAYS);
  return { name: TOOL.history, args: { location: l.id, start_date: start < earliest ? earliest : start, end_date: last } };
}
