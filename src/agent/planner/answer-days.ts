// Answers about days: forecasts and history day by day, the best or worst day outright, the weather, comparisons, a city at a glance.
import { answerText as t } from '../prompt-files.js';
import { weekdayName } from './dates.js';
import type { Emphasis } from './plan.js';

export type Row = Record<string, unknown>;

/** One decimal, as the tools report; the guardrail accepts it as the tool's value rounded. */
export const n = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? String((Math.sign(x) * Math.round(Math.abs(x) * 10)) / 10) : 'n/a');
const KIND_NOTES: Record<string, string> = { replayed: 'kind_replayed', synthetic: 'kind_synthetic', model: 'kind_model' };
const kindNote = (kind: unknown) => (typeof kind === 'string' && KIND_NOTES[kind] ? ` ${t(KIND_NOTES[kind])}` : '');
const category = (d: Row) => String(d.category ?? 'no AQI category');
/** History days show at most this many one by one unless every day is asked for; then up to a month. */
const DAYS_SHOWN = 7;
const DAYS_SHOWN_DAILY = 31;

/** A day of one place, as forecast or history answers show it. */
export interface PlaceDay {
  place: string;
  day: Row;
  kind: 'forecast' | 'history';
}

function dayValues(place: string, d: Row): Record<string, string> {
  return { place, weekday: weekdayName(String(d.date)), date: String(d.date), pm25: n(d.pm25), category: category(d), advice: String(d.advice ?? '') };
}

const valued = (days: Row[]) => days.filter((d) => typeof d.pm25 === 'number');

function extreme(days: Row[], which: 'best' | 'worst'): Row | undefined {
  const list = valued(days);
  if (list.length === 0) return undefined;
  return list.reduce((a, b) => ((which === 'best' ? (b.pm25 as number) < (a.pm25 as number) : (b.pm25 as number) > (a.pm25 as number)) ? b : a));
}

/** "Thursday 2017-02-23 is the cleanest day at Dongsi: 23 µg/m³". */
function superlativeLine(place: string, days: Row[], which: 'best' | 'worst', past: boolean): string[] {
  const pick = days.length > 1 ? extreme(days, which) : undefined;
  return pick ? [t(which === 'best' ? 'best_day' : 'worst_day', { ...dayValues(place, pick), verb: past ? 'was' : 'is' })] : [];
}

/** The weather of a day in words, or nothing when the store has none. */
export function weatherLine(place: string, d: Row): string[] {
  const w = d.weather as Row | null | undefined;
  if (!w) return [];
  const parts: string[] = [];
  if (typeof w.temperature_c === 'number') parts.push(t('weather_temperature', { value: n(w.temperature_c) }));
  if (typeof w.precipitation_mm === 'number') parts.push(w.precipitation_mm > 0 ? t('weather_rain', { value: n(w.precipitation_mm) }) : t('weather_dry'));
  if (typeof w.wind_max_ms === 'number')
    parts.push(t('weather_wind', { value: n(w.wind_max_ms), from: w.wind_from ? ` ${t('weather_wind_from', { from: String(w.wind_from) })}` : '' }));
  if (parts.length === 0) return [];
  return [
    t('weather_day', {
      place,
      weekday: weekdayName(String(d.date)),
      date: String(d.date),
      weather: parts.join(', '),
      forecast: w.forecast ? ` ${t('weather_forecast')}` : '',
    }),
  ];
}

export function forecastLines(d: Row, place: string, e: Emphasis): string[] {
  const days = (d.days as Row[]) ?? [];
  const out = e.superlative ? superlativeLine(place, days, e.superlative, false) : [];
  for (const day of days) {
    if (e.weatherOnly) out.push(...weatherLine(place, day));
    out.push(t('forecast_day', { ...dayValues(place, day), lower: n(day.pm25_lower), upper: n(day.pm25_upper) }));
    if (e.weather && !e.weatherOnly) out.push(...weatherLine(place, day));
  }
  const first = days[0];
  if (first)
    out.push(
      t('forecast_source', { issue_date: String(first.issue_date), model: String(first.model), perfect: first.perfect_forecast ? t('forecast_perfect') : '' }),
    );
  if (typeof d.data_age === 'string') out.push(t('data_age', { note: d.data_age }));
  return out;
}

export function historyLines(d: Row, place: string, e: Emphasis): string[] {
  const days = valued((d.days as Row[]) ?? []);
  if (days.length === 0) {
    const available = (d.available as Row | undefined) ?? {};
    const [first, last] = [String(available.first ?? 'nowhere'), String(available.last ?? 'nowhere')];
    return [t('history_no_data', { place, start: String(d.start_date), end: String(d.end_date), first, last })];
  }
  const kind = kindNote(days[0]!.kind);
  const weather = (day: Row) => (e.weather ? weatherLine(place, day) : []);
  if (days.length === 1)
    return [
      ...(e.weatherOnly ? weather(days[0]!) : []),
      t('history_day', { ...dayValues(place, days[0]!), kind }),
      ...(e.weatherOnly ? [] : weather(days[0]!)),
    ];
  const lo = extreme(days, 'best')!;
  const hi = extreme(days, 'worst')!;
  const out = e.superlative ? superlativeLine(place, days, e.superlative, true) : [];
  const range = { place, start: String(d.start_date), end: String(d.end_date), kind };
  out.push(
    t('history_range', {
      ...range,
      min: n(lo.pm25),
      min_date: String(lo.date),
      min_category: category(lo),
      max: n(hi.pm25),
      max_date: String(hi.date),
      max_category: category(hi),
    }),
  );
  // A week (or a month, when every day is asked for): day by day, so the answer reads as a table.
  if (days.length <= (e.daily ? DAYS_SHOWN_DAILY : DAYS_SHOWN) || e.weather) {
    for (const day of days.slice(0, DAYS_SHOWN_DAILY)) out.push(t('history_day_short', dayValues(place, day)), ...weather(day));
  }
  if (typeof d.data_age === 'string') out.push(t('data_age', { note: d.data_age }));
  return out;
}

/** Two single days of one place (yesterday against tomorrow, a day against the one before): which is cleaner, outright. */
export function comparisonOfDays(days: PlaceDay[]): string[] {
  const byPlace = new Map<string, PlaceDay[]>();
  for (const x of days) byPlace.set(x.place, [...(byPlace.get(x.place) ?? []), x]);
  const out: string[] = [];
  for (const [place, list] of byPlace) {
    if (list.length !== 2 || list.some((x) => typeof x.day.pm25 !== 'number')) continue;
    const [a, b] = [...list].sort((x, y) => String(x.day.date).localeCompare(String(y.day.date)));
    const [pa, pb] = [a!.day.pm25 as number, b!.day.pm25 as number];
    const verdict = Math.abs(pa - pb) < 0.1 * Math.max(pa, pb, 1) ? 'compare_same' : pb < pa ? 'compare_cleaner' : 'compare_dirtier';
    out.push(
      t('compare_days', {
        place,
        later: `${weekdayName(String(b!.day.date))} ${String(b!.day.date)}`,
        later_pm25: n(pb),
        later_category: category(b!.day),
        verdict: t(verdict),
        earlier: `${weekdayName(String(a!.day.date))} ${String(a!.day.date)}`,
        earlier_pm25: n(pa),
        earlier_category: category(a!.day),
      }),
    );
  }
  return out;
}

/** Several places on one day: the cleanest and the most polluted, and for a city its range. */
export function comparisonOfPlaces(days: PlaceDay[], city: string | undefined): string[] {
  const byDate = new Map<string, PlaceDay[]>();
  for (const f of days) byDate.set(String(f.day.date), [...(byDate.get(String(f.day.date)) ?? []), f]);
  const out: string[] = [];
  for (const [date, list] of byDate) {
    const with_ = list.filter((x) => typeof x.day.pm25 === 'number');
    if (new Set(with_.map((x) => x.place)).size < 2) continue;
    const sorted = [...with_].sort((a, b) => (a.day.pm25 as number) - (b.day.pm25 as number));
    const [best, worst] = [sorted[0]!, sorted.at(-1)!];
    const values = { date, weekday: weekdayName(date), place: best.place, pm25: n(best.day.pm25), category: category(best.day) };
    const worstValues = { worst_place: worst.place, worst_pm25: n(worst.day.pm25), worst_category: category(worst.day) };
    out.push(t(city ? 'city_summary' : 'cleanest_place', { ...values, ...worstValues, city: city ?? '' }));
  }
  return out;
}

/** A city's places on a day, one short line each, after its summary. */
export function cityDayLine(x: PlaceDay): string {
  return t('city_place', { ...dayValues(x.place, x.day) });
}
