// The monitoring report behind `airq monitor`: feature drift and prediction health per place, the alerts they raise, and the refusals of a window that cannot be judged.
import { addDays } from '../../core/dates.js';
import { errorMessage, ValidationError } from '../../core/errors.js';
import type { FeatureStore } from '../../store/index.js';
import { servedModel } from '../forecast/train.js';
import { AnswerCache } from '../services/answer-cache.js';
import { listLocations } from '../services/locations.js';
import { observedDays, observedIn } from '../services/observed.js';
import { featureDrift, type PlaceDrift } from './drift.js';
import { MIN_JUDGED, predictionHealth, type PlaceHealth } from './predictions.js';

export const MIN_WINDOW_DAYS = 14;
/** The window status and the retraining rule watch. */
export const DEFAULT_WINDOW_DAYS = 30;
export const MAX_WINDOW_DAYS = 365;
/** Drifted features named per place in the alerts (the rest are in the report). */
const NAMED = 3;

export interface MonitorReport {
  today: string;
  window: { start: string; end: string; days: number };
  model: { name: string; version: number; trained_through: string } | null;
  drift: PlaceDrift[];
  predictions: PlaceHealth[];
  /** One line per problem (forecasts off their backtest, then drifted inputs): what `airq status`, the page and the agent say. */
  alerts: string[];
  /** What could not be judged, and why: no alert there means nothing was looked at, not that all is well. */
  not_judged: string[];
}

/** Refuses what cannot be judged: a window outside [14, 365] days, an unknown place, a window with too few observed days. */
async function check(store: FeatureStore, options: { today: string; windowDays: number; location?: string }, start: string): Promise<void> {
  const { windowDays, location, today } = options;
  if (!Number.isInteger(windowDays) || windowDays < MIN_WINDOW_DAYS || windowDays > MAX_WINDOW_DAYS)
    throw new ValidationError(`the window is ${windowDays} days; monitoring judges ${MIN_WINDOW_DAYS} to ${MAX_WINDOW_DAYS}`);
  if (location !== undefined) {
    const ids = (await listLocations(store)).map((l) => l.location_id);
    if (!ids.includes(location)) throw new ValidationError(`unknown place "${location}"; places: ${ids.join(', ') || '(none)'}`);
  }
  const observed = await observedDays(store);
  const inWindow = observedIn(observed, start, today);
  if (inWindow < MIN_WINDOW_DAYS)
    throw new ValidationError(
      `the ${windowDays} days up to ${today} hold ${inWindow} observed days and monitoring needs ${MIN_WINDOW_DAYS}; ${observed.covers}`,
    );
}

/** The alert lines of a report's parts (all places, or one): forecasts off their backtest first, then drifted inputs. */
export function alertsOf(drift: readonly PlaceDrift[], predictions: readonly PlaceHealth[]): string[] {
  const out: string[] = [];
  for (const p of predictions)
    for (const h of p.horizons) if (h.status === 'alert') out.push(`${p.location_id}, ${h.days_ahead} day${h.days_ahead > 1 ? 's' : ''} ahead: ${h.reason}`);
  for (const d of drift) {
    const drifted = d.features.filter((f) => f.level === 'drift');
    if (drifted.length === 0) continue;
    const named = drifted.slice(0, NAMED).map((f) => `${f.feature} (PSI ${f.psi.toFixed(2)})`);
    out.push(
      `${d.location_id}: inputs unlike the same days of earlier years: ${named.join(', ')}${drifted.length > NAMED ? ` and ${drifted.length - NAMED} more` : ''}`,
    );
  }
  return out;
}

export async function monitor(store: FeatureStore, options: { today: string; windowDays: number; location?: string }): Promise<MonitorReport> {
  const start = addDays(options.today, -options.windowDays + 1);
  await check(store, options, start);
  const model = await servedModel(store, { issuedOn: options.today }).catch(() => undefined);
  const trainedThrough = model?.meta.tags.trained_through ?? options.today;
  const drift = await featureDrift(store, { ...options, trainedThrough });
  const predictions = await predictionHealth(store, { ...options, model });
  const not_judged = [
    ...(drift.every((d) => !d.judged) ? ['input drift: no place has two earlier years of these days yet'] : []),
    ...(predictions.every((p) => p.horizons.every((h) => h.status === 'too few'))
      ? [`forecast accuracy: fewer than ${MIN_JUDGED} logged forecasts were observed in the window`]
      : []),
  ];
  return {
    not_judged,
    today: options.today,
    window: { start, end: options.today, days: options.windowDays },
    model: model ? { name: model.meta.name, version: model.meta.version, trained_through: trainedThrough } : null,
    drift,
    predictions,
    alerts: alertsOf(drift, predictions),
  };
}

// The default window's report, read by the status (web page, MCP) and the retraining rule: kept until the data or the served model changes.
const reports = new AnswerCache<MonitorReport | string>(['locations', 'air_quality', 'weather', 'aq_predictions', 'forecast_targets']);

/** The report of the default window up to `today`, or why it cannot be made (too few days, no data, an older store). */
export async function defaultReport(store: FeatureStore, today: string): Promise<MonitorReport | string> {
  const model = await servedModel(store, { issuedOn: today }).catch(() => undefined);
  return reports.get(store, `${today}|${model?.meta.version ?? 0}`, () =>
    monitor(store, { today, windowDays: DEFAULT_WINDOW_DAYS }).catch((e: unknown) => errorMessage(e)),
  );
}

/** The alerts of the default window, and what it could not judge (everything, and why, when the window cannot be judged). */
export async function monitoringSummary(store: FeatureStore, today: string): Promise<{ alerts: string[]; not_judged: string[] }> {
  const r = await defaultReport(store, today);
  return typeof r === 'string' ? { alerts: [], not_judged: [`everything: ${r}`] } : { alerts: r.alerts, not_judged: r.not_judged };
}
