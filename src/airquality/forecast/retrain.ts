// When the forecaster is retrained: rules as data, each with the case behind it, checked in order; the first that holds is the reason.
import { isoDateToEpochDays, addDays } from '../../core/dates.js';
import { rmse } from '../../ml/index.js';
import type { FeatureStore, Model } from '../../store/index.js';
import { hindcastRows } from './hindcast.js';
import { currentPlaces, MODEL_NAME } from './train.js';
import { defaultReport } from '../monitoring/monitor.js';
import { FORECAST_VIEW } from './view.js';

/** What the rules look at. */
export interface RetrainFacts {
  today: string;
  places: string[];
  /** The newest registered version trained on exactly these places through the current feature view, if any. */
  model: Model | undefined;
  /** The feature view version of the newest version trained on these places, when it is not the current one. */
  oldView: number | undefined;
  /** The places the newest version of all was trained on (to say what changed). */
  lastPlaces: string[] | undefined;
  /** 1-day-ahead hindcast RMSE of the last 14 days, and how many forecasts it is over. */
  recent: { rmse: number; n: number } | undefined;
  /** The monitoring alerts of the default window (airq monitor): forecasts off their backtest, inputs unlike earlier years. */
  alerts: string[];
}

export interface RetrainRule {
  id: 'no-model' | 'view-changed' | 'places-changed' | 'age' | 'drift' | 'monitoring';
  /** The case behind it. */
  why: string;
  reason(f: RetrainFacts): string | undefined;
}

export const MAX_MODEL_AGE_DAYS = 7;
/** While monitoring raises an alert, the model is retrained once it is this many days old instead of MAX_MODEL_AGE_DAYS. */
export const ALERTED_MODEL_AGE_DAYS = 3;
export const DRIFT_WINDOW_DAYS = 14;
export const DRIFT_FACTOR = 1.3;
/** Fewer 1-day forecasts than this in the window say nothing about drift. */
const DRIFT_MIN_FORECASTS = 7;

const listDiff = (a: string[], b: string[]) => a.filter((x) => !b.includes(x));

export const RETRAIN_RULES: readonly RetrainRule[] = [
  {
    id: 'no-model',
    why: 'a new store has data but nothing to forecast with',
    reason: (f) => (f.model === undefined && f.lastPlaces === undefined ? 'no forecaster has been trained on this store yet' : undefined),
  },
  {
    id: 'view-changed',
    why: "airq's forecast inputs changed (a new version of the feature view): a model trained on the old inputs is not served",
    reason: (f) =>
      f.model === undefined && f.oldView !== undefined
        ? `the forecaster's inputs changed (feature view air_quality_fv v${f.oldView} -> v${FORECAST_VIEW.version}); the last model read v${f.oldView}`
        : undefined,
  },
  {
    id: 'places-changed',
    why: 'a place was added or removed: the served model was trained on other places and is not served for these',
    reason: (f) => {
      if (f.model !== undefined) return undefined;
      const added = listDiff(f.places, f.lastPlaces ?? []);
      const removed = listDiff(f.lastPlaces ?? [], f.places);
      return `the places changed since the last training (${[added.length ? `added ${added.join(', ')}` : '', removed.length ? `removed ${removed.join(', ')}` : ''].filter(Boolean).join('; ')})`;
    },
  },
  {
    id: 'age',
    why: 'seasons change what drives PM2.5; a model that has not seen the last week misses it',
    reason: (f) => {
      const through = f.model?.meta.tags.trained_through;
      if (!through) return undefined;
      const age = isoDateToEpochDays(f.today) - isoDateToEpochDays(through);
      return age > MAX_MODEL_AGE_DAYS
        ? `the model learned from data up to ${through}, ${age} days ago (retrained every ${MAX_MODEL_AGE_DAYS} days)`
        : undefined;
    },
  },
  {
    id: 'drift',
    why: 'the model is doing worse on recent days than it did in validation: the data has drifted',
    reason: (f) => {
      const valid = f.model?.meta.metrics.validation_rmse;
      if (!f.recent || valid === undefined || f.recent.n < DRIFT_MIN_FORECASTS) return undefined;
      return f.recent.rmse > DRIFT_FACTOR * valid
        ? `the last ${DRIFT_WINDOW_DAYS} days' 1-day hindcast RMSE ${f.recent.rmse.toFixed(1)} µg/m³ exceeds the validation RMSE ${valid.toFixed(1)} by more than ${Math.round((DRIFT_FACTOR - 1) * 100)}% (${f.recent.n} forecasts)`
        : undefined;
    },
  },
  {
    id: 'monitoring',
    why:
      'monitoring says forecasts are off the backtest or the inputs are unlike the same days of earlier years: a retrain is refit on ' +
      'every day, so it learns the newest; every 3 days while the alert lasts instead of 7 (its evidence, 30 days of forecasts and ' +
      'inputs, outlasts one retrain, so not daily)',
    reason: (f) => {
      const through = f.model?.meta.tags.trained_through;
      if (!through || f.alerts.length === 0) return undefined;
      const age = isoDateToEpochDays(f.today) - isoDateToEpochDays(through);
      const more = f.alerts.length > 1 ? ` (and ${f.alerts.length - 1} more)` : '';
      return age >= ALERTED_MODEL_AGE_DAYS
        ? `monitoring alert: ${f.alerts[0]}${more}; the model learned from data up to ${through}, ${age} days ago`
        : undefined;
    },
  },
];

export async function retrainFacts(store: FeatureStore, today: string): Promise<RetrainFacts> {
  const places = await currentPlaces(store);
  const all = store.registry.list(MODEL_NAME).sort((a, b) => b.version - a.version);
  const here = all.filter((m) => m.meta.tags.places === places.join(','));
  const model = here.find((m) => m.meta.featureView.version === FORECAST_VIEW.version);
  const oldView = model === undefined ? here[0]?.meta.featureView.version : undefined;
  const lastPlaces = all[0]?.meta.tags.places?.split(',');
  const through = model?.meta.tags.trained_through ?? '';
  let recent: RetrainFacts['recent'];
  if (model && store.listFeatureGroups().some((g) => g.name === 'aq_predictions')) {
    const since = addDays(today, -DRIFT_WINDOW_DAYS + 1);
    const rows = (await hindcastRows(store, { since })).filter((r) => r.days_ahead === 1 && r.observed !== null && r.date <= today && r.issue_date >= through);
    if (rows.length > 0)
      recent = {
        rmse: rmse(
          rows.map((r) => r.observed!),
          rows.map((r) => r.predicted),
        ),
        n: rows.length,
      };
  }
  const report = model ? await defaultReport(store, today) : 'no model';
  return { today, places, model, oldView, lastPlaces, recent, alerts: typeof report === 'string' ? [] : report.alerts };
}

/** Why the forecaster should be retrained now, or undefined when it need not be. */
export async function retrainReason(store: FeatureStore, today: string): Promise<{ rule: RetrainRule['id']; reason: string } | undefined> {
  const facts = await retrainFacts(store, today);
  for (const rule of RETRAIN_RULES) {
    const reason = rule.reason(facts);
    if (reason) return { rule: rule.id, reason };
  }
  return undefined;
}
