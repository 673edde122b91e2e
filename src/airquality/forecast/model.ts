// The PM2.5 forecaster: direct multi-horizon GBDTs for the mean, and an 80% interval around it: two quantile GBDTs say
// how uncertain each day is (its spread), and a band calibrated per horizon on the validation split (split conformal,
// in log space) says how far the interval reaches below and above the point (interval.ts: lower < point < upper).
//
// Why a shared model with the horizon as a feature, plus dedicated models for the first days: the
// weather → PM2.5 relation is the same whatever the lead time, so one model over all seven horizons
// sees 7x the rows for it. But greedy trees rarely split on days_ahead first (that split alone gains
// nothing), so the shared model under-uses the issue day's state where it matters most — a
// dedicated 1-day model on Beijing cuts RMSE from ~42 to ~34 µg/m³. Dedicated models are trained
// for the first horizons and kept only where they beat the shared one on the validation split.
// Direct (not recursive) so that errors do not compound through predicted lags.
import { z } from 'zod';
import { ValidationError } from '../../core/errors.js';
import { parseOrThrow } from '../../core/validate.js';
import { Gbdt, rowsWhere, type GbdtJson, type Matrix } from '../../ml/index.js';
import { biasByHorizon, fitParts, INTERVAL, subset, withDedicated } from './fit.js';

export { INTERVAL } from './fit.js';
import type { Row } from '../../store/index.js';
import { MAX_DAYS_AHEAD } from './groups.js';
import { inputNames, inputOf } from './derived.js';
import { calibrateBand, intervalAround, pointOf, spreadOf, type Band } from './interval.js';

export interface Prediction {
  pm25: number;
  lower: number;
  upper: number;
}

export interface IntervalExplanation {
  lower: number;
  upper: number;
  /** q90 − q10 of the quantile models for this row, and on an average training day (their biases' difference), µg/m³. */
  band_width: number;
  typical_band_width: number;
  /** Each feature's share of band_width − typical_band_width, µg/m³ (positive widens). */
  drivers: { feature: string; value: number | null; widening: number }[];
}

export interface ForecasterJson {
  /** 2: the interval is the calibrated band around the point; 1 (models trained before it): the widened quantile band. */
  format: 'airq-forecaster-1' | 'airq-forecaster-2';
  featureNames: string[];
  mean: GbdtJson;
  /** Dedicated mean models by horizon, where they beat the shared one on validation. */
  dedicated: Record<string, GbdtJson>;
  lower: GbdtJson;
  upper: GbdtJson;
  /** Format 1: per horizon (index h-1), how much to widen (or narrow, if negative) the raw quantile band. */
  widen?: number[];
  /** Format 2: per horizon, how many spreads the interval reaches below and above the point. */
  band?: Band;
  /** Format 2: per horizon, the mean model's mean error on the validation days (µg/m³), taken off every point forecast. */
  bias?: number[];
}

// The GBDT parts are checked in depth by Gbdt.fromJSON; this checks the envelope.
const PerHorizon = z.array(z.number()).length(MAX_DAYS_AHEAD);
const Envelope = {
  featureNames: z.array(z.string()).min(1),
  mean: z.unknown(),
  dedicated: z.record(z.string().regex(/^[1-7]$/), z.unknown()),
  lower: z.unknown(),
  upper: z.unknown(),
};
const ForecasterJsonSchema = z.discriminatedUnion('format', [
  z.object({ format: z.literal('airq-forecaster-1'), ...Envelope, widen: PerHorizon }),
  z.object({ format: z.literal('airq-forecaster-2'), ...Envelope, band: z.object({ below: PerHorizon, above: PerHorizon }), bias: PerHorizon }),
]);

/** How the interval is made from the quantile models: the calibrated band (format 2), or the widened band of format 1. */
type Calibration = { band: Band; bias: number[] } | { widen: number[] };

/** The rows as the model reads them: the view's columns and the inputs derived from them (derived.ts), in `names` order. */
export function toMatrix(features: readonly Row[], names: readonly string[]): Matrix {
  const data = new Float64Array(features.length * names.length);
  features.forEach((r, i) => {
    names.forEach((n, j) => {
      const v = inputOf(r, n);
      data[i * names.length + j] = typeof v === 'number' ? v : NaN;
    });
  });
  return { rows: features.length, cols: names.length, data };
}

/** Rows of the forecast view: features (with days_ahead) and the pm25 label. */
export interface Rows {
  features: Row[];
  labels: Row[];
}

const numberOrNull = (v: unknown) => (typeof v === 'number' ? v : null);
const labelsOf = (labels: readonly Row[]) => Float64Array.from(labels, (l) => l.pm25 as number);

export class Forecaster {
  private constructor(
    readonly featureNames: string[],
    readonly mean: Gbdt,
    readonly dedicated: ReadonlyMap<number, Gbdt>,
    readonly lower: Gbdt,
    readonly upper: Gbdt,
    readonly calibration: Calibration,
  ) {}

  /**
   * Trains on `train` and stops early on `valid` (rows must have days_ahead): the validation days choose the number of trees,
   * the dedicated horizons and the bias. The interval is calibrated on `calibration`: the validation days as the served
   * forecast will read them (with weather forecasts: weather-errors.ts), else `valid`. `refit` then fits it again on all the days.
   */
  static train(train: Rows, valid: Rows, calibration = valid): Forecaster {
    if (train.features.length < 50) throw new ValidationError(`too little training data (${train.features.length} rows); import more history first`);
    if (valid.features.length < 20) throw new ValidationError(`too little validation data (${valid.features.length} rows); import more history first`);
    const names = inputNames(train.features[0]!);
    if (!names.includes('days_ahead')) throw new ValidationError('the training rows have no days_ahead feature');
    const x = toMatrix(train.features, names);
    const y = labelsOf(train.labels);
    const v = { x: toMatrix(valid.features, names), y: labelsOf(valid.labels) };
    const h = names.indexOf('days_ahead');
    const parts = fitParts(x, y, v, names, h);
    // The bias: the mean error per horizon on the validation days (recorded weather), taken off every point forecast.
    const bias = biasByHorizon(withDedicated(parts.mean.predict(v.x), parts.dedicated, v.x, h), v, names.length, h);
    // The band: on the calibration rows, how far the truth fell from the served point, in spreads.
    const c = { x: toMatrix(calibration.features, names), y: labelsOf(calibration.labels) };
    const points = withDedicated(parts.mean.predict(c.x), parts.dedicated, c.x, h).map((p, i) => p - bias[c.x.data[i * names.length + h]! - 1]!);
    const lo = parts.lower.predict(c.x);
    const hi = parts.upper.predict(c.x);
    const rows = Array.from({ length: c.x.rows }, (_, i) => ({
      horizon: c.x.data[i * names.length + h]!,
      point: pointOf(points[i]!),
      actual: c.y[i]!,
      spread: spreadOf(lo[i]!, hi[i]!),
    }));
    return new Forecaster(names, parts.mean, parts.dedicated, parts.lower, parts.upper, { band: calibrateBand(rows, MAX_DAYS_AHEAD, INTERVAL), bias });
  }

  /**
   * This forecaster's mean models fitted again on `all` the days (the training, validation and any later ones), each with
   * the number of trees validation chose for it, so that the point forecast learns from the newest days too. The bias,
   * the band and the quantile models that give the band its spreads stay as validation measured them: the band is
   * calibrated in those models' spreads (refitting them too left held-out Beijing intervals covering 83-84% at 5-6 days
   * ahead instead of 80%), and the refit has seen the validation days, so it cannot measure them again.
   */
  refit(all: Rows): Forecaster {
    const x = toMatrix(all.features, this.featureNames);
    const y = labelsOf(all.labels);
    const h = this.featureNames.indexOf('days_ahead');
    const dedicated = new Map(
      [...this.dedicated].map(([d, model]) => {
        const s = subset(x, y, rowsWhere(x, h, d));
        return [d, model.refit(s.x, s.y)] as const;
      }),
    );
    return new Forecaster(this.featureNames, this.mean.refit(x, y), dedicated, this.lower, this.upper, this.calibration);
  }

  predict(features: readonly Row[]): Prediction[] {
    const x = toMatrix(features, this.featureNames);
    const m = withDedicated(this.mean.predict(x), this.dedicated, x, this.featureNames.indexOf('days_ahead'));
    const lo = this.lower.predict(x);
    const hi = this.upper.predict(x);
    const c = this.calibration;
    return features.map((r, i) => {
      const d = (r.days_ahead as number) - 1;
      if ('widen' in c) {
        const pm25 = Math.max(0, m[i]!);
        const w = c.widen[d] ?? 0;
        return { pm25, lower: Math.max(0, Math.min(pm25, lo[i]! - w)), upper: Math.max(pm25, hi[i]! + w) };
      }
      const pm25 = pointOf(m[i]! - (c.bias[d] ?? 0));
      return { pm25, ...intervalAround(pm25, spreadOf(lo[i]!, hi[i]!), c.band.below[d] ?? 0, c.band.above[d] ?? 0) };
    });
  }

  /** The drivers of one row's mean prediction: a bias and each feature's contribution (they add up to the prediction before clamping at 0). */
  explain(features: Row): { prediction: number; bias: number; contributions: { feature: string; value: number | null; contribution: number }[] } {
    const x = toMatrix([features], this.featureNames);
    const model = this.dedicated.get(features.days_ahead as number) ?? this.mean;
    const e = model.explain(x, 0);
    // The bias correction is part of the baseline, so baseline + contributions is still the (unclamped) point forecast.
    const correction = 'bias' in this.calibration ? (this.calibration.bias[(features.days_ahead as number) - 1] ?? 0) : 0;
    const baseline = e.bias - correction;
    const prediction = baseline + e.contributions.reduce((s, c) => s + c.contribution, 0);
    const value = (f: string) => numberOrNull(inputOf(features, f));
    return { prediction, bias: baseline, contributions: e.contributions.map((c) => ({ ...c, value: value(c.feature) })) };
  }

  /**
   * What makes one row's interval as wide as it is: its 80% interval, the width of the quantile models' band (q90 − q10,
   * from which the interval's spread comes), that band's width on an average day, and each feature's share of the
   * difference: its contribution to q90 minus its contribution to q10 (positive widens).
   */
  explainInterval(features: Row): IntervalExplanation {
    const x = toMatrix([features], this.featureNames);
    const [p] = this.predict([features]);
    const hi = this.upper.explain(x, 0);
    const lo = this.lower.explain(x, 0);
    const value = (f: string) => numberOrNull(inputOf(features, f));
    const drivers = hi.contributions.map((c, j) => ({
      feature: c.feature,
      value: value(c.feature),
      widening: c.contribution - lo.contributions[j]!.contribution,
    }));
    const band = hi.bias - lo.bias + drivers.reduce((s, d) => s + d.widening, 0);
    return { lower: p!.lower, upper: p!.upper, band_width: band, typical_band_width: hi.bias - lo.bias, drivers };
  }

  featureImportance() {
    return this.mean.featureImportance();
  }

  toJSON(): ForecasterJson {
    return {
      format: 'band' in this.calibration ? 'airq-forecaster-2' : 'airq-forecaster-1',
      featureNames: this.featureNames,
      mean: this.mean.toJSON(),
      dedicated: Object.fromEntries([...this.dedicated].map(([d, g]) => [String(d), g.toJSON()])),
      lower: this.lower.toJSON(),
      upper: this.upper.toJSON(),
      ...this.calibration,
    };
  }

  static fromJSON(input: unknown): Forecaster {
    const json = parseOrThrow(ForecasterJsonSchema, input, 'forecaster model (format airq-forecaster-1 or -2)');
    const dedicated = new Map(Object.entries(json.dedicated ?? {}).map(([d, g]) => [Number(d), Gbdt.fromJSON(g)]));
    const calibration: Calibration = json.format === 'airq-forecaster-2' ? { band: json.band, bias: json.bias } : { widen: json.widen };
    return new Forecaster(json.featureNames, Gbdt.fromJSON(json.mean), dedicated, Gbdt.fromJSON(json.lower), Gbdt.fromJSON(json.upper), calibration);
  }
}
