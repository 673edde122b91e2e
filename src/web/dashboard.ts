// What the pages and their JSON endpoints show: per location the forecast, recent observations and hindcast; the model behind them.
import { addDays } from '../core/dates.js';
import { errorMessage, NotFoundError } from '../core/errors.js';
import { hindcastRows, summarise, type HindcastSummary } from '../airquality/forecast/hindcast.js';
import { servedModel } from '../airquality/forecast/train.js';
import { readForecast, type ForecastAnswer } from '../airquality/services/forecast-read.js';
import { airQualityHistory, kindOf, type History } from '../airquality/services/history.js';
import { listLocations, resolveLocation, type LocationInfo } from '../airquality/services/locations.js';
import { dataStatus } from '../airquality/services/status.js';
import type { FeatureDrift } from '../airquality/monitoring/drift.js';
import { alertsOf, defaultReport } from '../airquality/monitoring/monitor.js';
import type { HorizonHealth } from '../airquality/monitoring/predictions.js';
import type { FeatureStore } from '../store/index.js';

export const RECENT_DAYS = 14;
/** 1-day-ahead hindcast points shown on a location page. */
const HINDCAST_POINTS = 60;

export interface ModelInfo {
  name: string;
  version: number;
  trained_at: string;
  validation_rmse: number | null;
  /** Per days ahead, from the training backtest: RMSE, 80% coverage, and persistence's RMSE to beat. */
  backtest: { days_ahead: number; rmse: number; coverage80: number | null; rmse_persistence: number | null }[];
  /** What weather the backtest read: forecasts (with their errors, as served) or the recorded weather (models trained before that). */
  backtest_weather: 'forecast' | 'recorded';
}

export interface LocationSummary {
  location: LocationInfo;
  /** observation, replayed or synthetic: what the data of this place is. */
  data_kind: string;
  tomorrow: { date: string; pm25: number; category: string | null } | null;
  latest: { date: string; pm25: number | null; category: string | null } | null;
  /** The last day with an observation in the store (not only the last two weeks), or null when there is none. */
  data_as_of: string | null;
  /** What is out of date, in words (see services/status.ts); empty when nothing is. */
  stale: string[];
  /** The latest forecast's days after today: mean and 80% interval, for the card's sparkline. */
  next_days: { date: string; pm25: number; lower: number; upper: number }[];
}

export interface Hindcast {
  /** Errors of logged forecasts once observed, per days ahead (empty until a forecast's day has been observed). */
  by_days_ahead: HindcastSummary[];
  /** 1-day-ahead forecasts against what was observed, oldest first. */
  points: { date: string; predicted: number; observed: number | null }[];
}

/** This place's monitoring over the default window (airq monitor): its forecasts once observed, its inputs' drift, alerts. */
export interface PlaceMonitoring {
  window: { start: string; end: string; days: number };
  /** Tomorrow's and the 3-day forecasts once observed in the window, against the served model's backtest. */
  forecasts: HorizonHealth[];
  /** Whether the place has inputs in the window, whether drift could be judged, and the inputs past "watch", largest first. */
  drift: { present: boolean; judged: boolean; inputs: FeatureDrift[] };
  /** The alerts that name this place. */
  alerts: string[];
  /** What could not be judged anywhere, and why. */
  not_judged: string[];
}

export interface LocationPage {
  location: LocationInfo;
  data_kind: string;
  today: string;
  forecast: ForecastAnswer | null;
  forecast_error?: string;
  recent: History;
  hindcast: Hindcast;
  model: ModelInfo | null;
  /** Why nothing could be judged (too few observed days, no data), or this place's monitoring. */
  monitoring: PlaceMonitoring | string;
}

/** The default window's monitoring report, narrowed to one place. */
export async function placeMonitoring(store: FeatureStore, locationId: string, today: string): Promise<PlaceMonitoring | string> {
  const r = await defaultReport(store, today);
  if (typeof r === 'string') return r;
  const drift = r.drift.find((d) => d.location_id === locationId);
  const health = r.predictions.find((p) => p.location_id === locationId);
  return {
    window: r.window,
    forecasts: health?.horizons ?? [],
    drift: { present: drift !== undefined, judged: drift?.judged ?? false, inputs: (drift?.features ?? []).filter((f) => f.level !== 'stable') },
    alerts: alertsOf(drift ? [drift] : [], health ? [health] : []),
    not_judged: r.not_judged,
  };
}

/** The pm25_forecaster the forecasts come from (the served version), or null before one is trained on this data. */
export async function modelInfo(store: FeatureStore): Promise<ModelInfo | null> {
  const latest = await servedModel(store).catch((e: unknown) => {
    if (e instanceof NotFoundError) return null; // no model trained on this data yet: the page says so
    throw e;
  });
  if (!latest) return null;
  const m = latest.meta.metrics;
  // The accuracy a served forecast states is the one with weather forecasts, when the model recorded it.
  const realistic = m.rmse_realistic_h1 !== undefined;
  const at = (k: string, h: number) => (realistic ? m[`${k}_realistic_h${h}`] : m[`${k}_h${h}`]);
  const backtest = Object.keys(m)
    .flatMap((k) => (/^rmse_h(\d+)$/.exec(k) ? [Number(k.slice(6))] : []))
    .sort((a, b) => a - b)
    .map((h) => ({ days_ahead: h, rmse: at('rmse', h)!, coverage80: at('coverage80', h) ?? null, rmse_persistence: at('rmse_persistence', h) ?? null }));
  const backtest_weather = realistic ? ('forecast' as const) : ('recorded' as const);
  return {
    name: latest.meta.name,
    version: latest.meta.version,
    trained_at: latest.meta.createdAt,
    validation_rmse: m.validation_rmse ?? null,
    backtest,
    backtest_weather,
  };
}

async function tryForecast(store: FeatureStore, id: string, today: string): Promise<{ forecast: ForecastAnswer | null; error?: string }> {
  try {
    return { forecast: await readForecast(store, id, today) };
  } catch (e) {
    return { forecast: null, error: errorMessage(e) };
  }
}

export async function overview(store: FeatureStore, today: string): Promise<LocationSummary[]> {
  const locations = await listLocations(store);
  const status = new Map((await dataStatus(store, today)).places.map((p) => [p.id, p]));
  return Promise.all(
    locations.map(async (location) => {
      const { forecast } = await tryForecast(store, location.location_id, today);
      const first = forecast?.days[0];
      const recent = await airQualityHistory(store, location.location_id, addDays(today, 1 - RECENT_DAYS), today).catch(() => null);
      const last = recent?.days.filter((d) => d.pm25 !== null).at(-1);
      const fresh = status.get(location.location_id);
      return {
        location,
        data_kind: kindOf(location.source),
        tomorrow: first ? { date: first.date, pm25: first.pm25, category: first.category } : null,
        latest: last ? { date: last.date, pm25: last.pm25, category: last.category } : null,
        data_as_of: fresh?.last_observation ?? null,
        stale: fresh?.stale ?? [],
        next_days: (forecast?.days ?? []).map((d) => ({ date: d.date, pm25: d.pm25, lower: d.pm25_lower, upper: d.pm25_upper })),
      };
    }),
  );
}

export async function hindcast(store: FeatureStore, locationId: string): Promise<Hindcast> {
  // A store that never forecast has no predictions group; that is an empty hindcast, not an error.
  if (!store.listFeatureGroups().some((g) => g.name === 'aq_predictions')) return { by_days_ahead: [], points: [] };
  const rows = await hindcastRows(store, { location: locationId });
  const oneDay = new Map(rows.filter((r) => r.days_ahead === 1).map((r) => [r.date, r])); // the last logged for a date wins
  const points = [...oneDay.values()].slice(-HINDCAST_POINTS).map((r) => ({ date: r.date, predicted: r.predicted, observed: r.observed }));
  return { by_days_ahead: summarise(rows), points };
}

export async function locationPage(store: FeatureStore, id: string, today: string): Promise<LocationPage> {
  const location = await resolveLocation(store, id);
  const { forecast, error } = await tryForecast(store, location.location_id, today);
  return {
    location,
    data_kind: kindOf(location.source),
    today,
    forecast,
    ...(error ? { forecast_error: error } : {}),
    recent: await airQualityHistory(store, location.location_id, addDays(today, 1 - RECENT_DAYS), today),
    hindcast: await hindcast(store, location.location_id),
    model: await modelInfo(store),
    monitoring: await placeMonitoring(store, location.location_id, today),
  };
}
