// Batch inference: for each location, 7 days of forecasts with an 80% interval, appended to aq_predictions, and charts.
import { join } from 'node:path';
import { ValidationError } from '../../core/errors.js';
import { and, col, type FeatureStore, type Model, type Row } from '../../store/index.js';
import { forecastChart, writeChart } from '../charts/charts.js';
import { AQ_PREDICTIONS, MAX_DAYS_AHEAD } from './groups.js';
import { Forecaster } from './model.js';
import { forecastTargets, targetRow, writeTargets } from './targets.js';
import { MODEL_FILE, servedModel } from './train.js';
import { WEATHER_FEATURES } from './view.js';

export interface LocationForecast {
  location_id: string;
  issue_date: string;
  perfect_forecast: boolean;
  days: { date: string; days_ahead: number; pm25: number; lower: number; upper: number }[];
  /** Target days skipped because no weather forecast reached the store for them. */
  missing_weather: string[];
  charts: string[];
}

export interface ForecastResult {
  model: { name: string; version: number };
  issue_date: string;
  locations: LocationForecast[];
  predictions_written: number;
}

/** The forecaster saved with a registered model version (its file checked against the checksum recorded at save). */
export function forecasterOf(model: Model): Forecaster {
  return Forecaster.fromJSON(JSON.parse(model.readArtifact(MODEL_FILE).toString('utf8')) as unknown);
}

/** Loads the model to forecast from `issuedOn` with (see servedModel) as a forecaster. */
export async function loadForecaster(store: FeatureStore, issuedOn: string): Promise<{ forecaster: Forecaster; model: Model; name: string; version: number }> {
  const model = await servedModel(store, { issuedOn });
  return { forecaster: forecasterOf(model), model, name: model.name, version: model.version };
}

/**
 * Forecasts D+1..D+7 for every location (or `locations`) as of the end of `issueDate`: writes the
 * open targets into the label spine, reads their features through the model's feature view (its
 * training dataset version's transformations), predicts, and appends to aq_predictions.
 */
export async function forecastAll(store: FeatureStore, issueDate: string, options: { locations?: string[]; chartsDir?: string } = {}): Promise<ForecastResult> {
  const { forecaster, model, name, version } = await loadForecaster(store, issueDate);
  const all = await store.getFeatureGroup('locations').select(['location_id', 'source']).read();
  const wanted = options.locations ?? all.map((l) => l.location_id as string);
  for (const l of wanted)
    if (!all.some((a) => a.location_id === l)) throw new ValidationError(`unknown location "${l}"; known: ${all.map((a) => a.location_id).join(', ')}`);
  const perfect = new Set(all.filter((l) => l.source === 'uci-beijing').map((l) => l.location_id as string));

  await writeTargets(store);
  const targets = await forecastTargets(store);
  const existing = await targets.select(['location_id', 'days_ahead']).filter(col('issue_date').eq(issueDate)).read();
  const have = new Set(existing.map((r) => `${r.location_id}|${r.days_ahead}`));
  const open: Row[] = [];
  for (const l of wanted) for (let h = 1; h <= MAX_DAYS_AHEAD; h++) if (!have.has(`${l}|${h}`)) open.push(targetRow(l, issueDate, h, null));
  if (open.length > 0) await targets.insert(open);

  const fv = await model.getFeatureView({ online: false });
  const batch = await fv.getBatchData({ entities: wanted.map((l) => ({ location_id: l, issue_date: issueDate })) });
  const byLocation = new Map<string, { keys: Row; features: Row }[]>();
  batch.keys.forEach((k, i) => {
    const list = byLocation.get(k.location_id as string) ?? [];
    list.push({ keys: k, features: batch.features[i]! });
    byLocation.set(k.location_id as string, list);
  });

  const out: LocationForecast[] = [];
  const predictionRows: Row[] = [];
  for (const l of wanted) {
    const rows = (byLocation.get(l) ?? []).sort((a, b) => (a.keys.date as string).localeCompare(b.keys.date as string));
    const hasWeather = (f: Row) => WEATHER_FEATURES.some((w) => typeof f[w] === 'number');
    const usable = rows.filter((r) => hasWeather(r.features));
    const predictions = forecaster.predict(usable.map((r) => r.features));
    const days = usable.map((r, i) => ({ date: r.keys.date as string, days_ahead: r.features.days_ahead as number, ...predictions[i]! }));
    const lf: LocationForecast = {
      location_id: l,
      issue_date: issueDate,
      perfect_forecast: perfect.has(l),
      days,
      missing_weather: rows.filter((r) => !hasWeather(r.features)).map((r) => r.keys.date as string),
      charts: [],
    };
    for (const d of days) {
      predictionRows.push({
        location_id: l,
        date: d.date,
        issue_date: issueDate,
        days_ahead: d.days_ahead,
        pm25: round2(d.pm25),
        pm25_lower: round2(d.lower),
        pm25_upper: round2(d.upper),
        model_name: name,
        model_version: version,
        perfect_forecast: lf.perfect_forecast,
      });
    }
    if (options.chartsDir && days.length > 0) {
      lf.charts = writeChart(options.chartsDir, `forecast_${l}`, forecastChart(l, issueDate, days, lf.perfect_forecast)).map((f) =>
        join(options.chartsDir!, f),
      );
    }
    out.push(lf);
  }
  // Predictions are a log: a forecast already made (same location, issue date, model version, date) is never rewritten.
  const predictions = await store.getOrCreateFeatureGroup(AQ_PREDICTIONS);
  const logged = await predictions
    .select(['location_id', 'date'])
    .filter(and(col('issue_date').eq(issueDate), col('model_name').eq(name), col('model_version').eq(version)))
    .read();
  const seen = new Set(logged.map((r) => `${r.location_id}|${r.date}`));
  const fresh = predictionRows.filter((r) => !seen.has(`${r.location_id}|${r.date}`));
  const commit = fresh.length > 0 ? await predictions.insert(fresh) : null;
  return { model: { name, version }, issue_date: issueDate, locations: out, predictions_written: commit?.rowsInserted ?? 0 };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
