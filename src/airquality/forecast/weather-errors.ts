// Realistic weather for backtests: the recorded weather a backtest replays, perturbed with forecast errors that grow with lead time (seeded).
//
// A backtest that feeds the model the weather later recorded tests it with a perfect weather forecast; a served forecast
// 4-7 days ahead reads a real one. The error model below gives each weather feature a random error with the standard
// deviation a medium-range global model (such as ECMWF's) typically has at a point, growing linearly from lead day 1
// to day 7. The figures are round approximations of the magnitudes published in ECMWF's annual verification reports
// (Haiden et al., "Evaluation of ECMWF forecasts", ECMWF Technical Memoranda 880 (2021) and later): 2 m temperature
// about 1-1.5 K at day 1 and 2.5-3 K by day 7, 10 m wind speed about 1 m/s rising to 2 m/s, surface pressure about 1 hPa
// rising to 5 hPa; daily precipitation is far less predictable and gets a multiplicative error and wrong wet/dry days.
// They were not checked against the reports' tables here: treat the realistic figures as an estimate of the order of
// the loss, not a measurement of it. Errors are independent across features and rows.
import { seededRandom, type Random } from '../../ml/random.js';
import type { Row } from '../../store/index.js';
import { WEATHER_FEATURES } from './view.js';

type WeatherFeature = (typeof WEATHER_FEATURES)[number];

/** One feature's forecast error: additive (in its unit) or multiplicative (log scale), one standard deviation at day 1 and 7. */
interface ErrorModel {
  kind: 'add' | 'log';
  day1: number;
  day7: number;
  /** Values cannot go below 0 (speeds, precipitation). */
  positive?: boolean;
}

export const WEATHER_ERRORS: Readonly<Record<WeatherFeature, ErrorModel>> = {
  temperature_mean: { kind: 'add', day1: 1.2, day7: 2.8 },
  dew_point_mean: { kind: 'add', day1: 1.5, day7: 3.2 },
  pressure_mean: { kind: 'add', day1: 1.0, day7: 5.0 },
  precipitation_sum: { kind: 'log', day1: 0.7, day7: 1.3, positive: true },
  wind_speed_mean: { kind: 'add', day1: 1.0, day7: 2.0, positive: true },
  wind_speed_max: { kind: 'add', day1: 1.4, day7: 2.8, positive: true },
  wind_u: { kind: 'add', day1: 1.2, day7: 2.5 },
  wind_v: { kind: 'add', day1: 1.2, day7: 2.5 },
};

/** How often a forecast of a dry day is wet or the other way round, at day 1 and day 7 (0.2 mm/day counts as wet). */
export const WET_DRY_FLIP = { day1: 0.1, day7: 0.25, wetMm: 0.2, typicalWetMm: 2 };

/** The error's standard deviation at `lead` days (0: observed, no error). */
export function errorSd(e: { day1: number; day7: number }, lead: number): number {
  if (lead <= 0) return 0;
  return e.day1 + ((e.day7 - e.day1) * (Math.min(lead, 7) - 1)) / 6;
}

function normal(random: Random): number {
  // Box-Muller; 1 - u keeps the logarithm finite.
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function perturbed(value: number, e: ErrorModel, lead: number, random: Random): number {
  const sd = errorSd(e, lead);
  const z = normal(random);
  const v = e.kind === 'add' ? value + sd * z : value * Math.exp(sd * z - (sd * sd) / 2);
  return e.positive ? Math.max(0, v) : v;
}

function precipitation(value: number, lead: number, random: Random): number {
  const flip = random() < errorSd(WET_DRY_FLIP, lead);
  const wet = value >= WET_DRY_FLIP.wetMm;
  // A wrong call: a wet day forecast dry, or a dry day forecast with typical rain.
  const base = flip ? (wet ? 0 : WET_DRY_FLIP.typicalWetMm) : value;
  return perturbed(base, WEATHER_ERRORS.precipitation_sum, lead, random);
}

/**
 * The rows with their weather as a forecast issued on the issue date would have had it: the target day's weather at a
 * lead of days_ahead, the day before's (prefix prev_) at days_ahead − 1, two days before's (prev2_) at days_ahead − 2 (the
 * issue day and earlier are observed). Same seed, same rows: same result.
 */
export function withRealisticWeather(rows: readonly Row[], seed: number): Row[] {
  const random = seededRandom(seed);
  return rows.map((row) => {
    const h = typeof row.days_ahead === 'number' ? row.days_ahead : 1;
    const out: Row = { ...row };
    for (const [prefix, lead] of [
      ['', h],
      ['prev_', h - 1],
      ['prev2_', h - 2],
    ] as const) {
      for (const f of WEATHER_FEATURES) {
        const v = row[`${prefix}${f}`];
        if (typeof v !== 'number' || !Number.isFinite(v)) continue;
        out[`${prefix}${f}`] = f === 'precipitation_sum' ? precipitation(v, lead, random) : perturbed(v, WEATHER_ERRORS[f], lead, random);
      }
    }
    return out;
  });
}
