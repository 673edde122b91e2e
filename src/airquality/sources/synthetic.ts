// A synthetic city: seeded, deterministic daily weather and air quality, for demos and tests without a network.
//
// Weather: a seasonal temperature cycle, and pressure "fronts" (an AR(1) process) that bring wind,
// rain and humidity. PM2.5 lives in log space with persistence (yesterday matters), and is cleared
// by wind and rain, raised by winter stagnation (cold, calm, humid: a temperature inversion), by
// southerly winds (here: the direction of the industrial belt) and on weekdays. Every series is
// generated from a fixed epoch, so any date range and any daily run see exactly the same values.
// Everything it produces is labelled synthetic (location source "synthetic").
import { addDays, isoDateToEpochDays } from '../../core/dates.js';
import { seededRandom } from '../../core/random.js';
import { degreesToCompass, windComponents } from '../features/wind.js';

export const SYNTHETIC_EPOCH = '2015-01-01';

export interface SyntheticDay {
  date: string;
  temperature: number;
  dewPoint: number;
  pressure: number;
  precipitation: number;
  windSpeed: number;
  windSpeedMax: number;
  /** Degrees, blowing from. */
  windDirection: number;
  pm25: number;
  pm25Max: number;
  pm10: number;
  no2: number;
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** One decimal, and never -0 (which would print as 0 but compare and store differently). */
const r1 = (x: number) => Math.round(x * 10) / 10 + 0;

/** The city's days from the epoch to `end` (inclusive). Deterministic for a seed. */
export function syntheticDays(end: string, seed = 1): SyntheticDay[] {
  const random = seededRandom(seed);
  const n = isoDateToEpochDays(end) - isoDateToEpochDays(SYNTHETIC_EPOCH) + 1;
  const out: SyntheticDay[] = [];
  let front = 0; // pressure anomaly, hPa
  let tAnomaly = 0;
  let logPm = Math.log(40);
  for (let i = 0; i < n; i++) {
    const date = addDays(SYNTHETIC_EPOCH, i);
    const doy = i % 365.25;
    const season = Math.cos((2 * Math.PI * (doy - 200)) / 365.25); // +1 mid-July, -1 mid-January
    front = 0.75 * front + 4 * gaussian(random);
    tAnomaly = 0.7 * tAnomaly + 1.8 * gaussian(random);
    const temperature = 12 + 14 * season + tAnomaly - 0.15 * front;
    const pressure = 1013 + front;
    const humidity = Math.min(1, Math.max(0.1, 0.55 - 0.02 * front + 0.15 * gaussian(random)));
    const dewPoint = temperature - (1 - humidity) * 20;
    const rainChance = 1 / (1 + Math.exp(0.35 * front - 2.5 * (humidity - 0.6)));
    const precipitation = random() < rainChance * 0.6 ? -Math.log(Math.max(random(), 1e-9)) * 4 : 0;
    const windSpeed = Math.max(0.3, 2.2 + 0.18 * Math.abs(front) + 0.8 * gaussian(random));
    // High pressure: north-westerlies (clean air); low pressure: southerlies (from the industrial belt).
    const windDirection = ((front > 0 ? 315 : 180) + 40 * gaussian(random) + 360) % 360;
    const southerly = -windComponents(1, windDirection).v; // +1 blowing from due south
    const stagnation = Math.max(0, -season) * Math.max(0, 2.5 - windSpeed) * humidity;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    const workday = weekday >= 1 && weekday <= 5 ? 1 : 0;
    const mean = Math.log(35) + 0.35 * Math.max(0, -season);
    logPm =
      mean +
      0.6 * (logPm - mean) -
      0.12 * (windSpeed - 2.5) -
      0.03 * Math.min(precipitation, 20) +
      0.45 * stagnation +
      0.25 * southerly +
      0.08 * workday +
      0.25 * gaussian(random);
    const pm25 = Math.min(800, Math.exp(logPm));
    out.push({
      date,
      temperature: r1(temperature),
      dewPoint: r1(dewPoint),
      pressure: r1(pressure),
      precipitation: r1(precipitation),
      windSpeed: r1(windSpeed),
      windSpeedMax: r1(windSpeed * (1.4 + 0.3 * random())),
      windDirection: r1(windDirection),
      pm25: r1(pm25),
      pm25Max: r1(pm25 * (1.3 + 0.5 * random())),
      pm10: r1(pm25 * (1.4 + 0.4 * random())),
      no2: r1(25 + 15 * workday + 10 * Math.max(0, 2.5 - windSpeed) + 5 * gaussian(random)),
    });
  }
  return out;
}

/** A forecast of `day` issued `lead` days before: the true weather plus an error that grows with lead time. */
export function syntheticForecast(day: SyntheticDay, lead: number, seed = 1): SyntheticDay {
  const random = seededRandom(seed * 7919 + isoDateToEpochDays(day.date) * 31 + lead);
  const e = (scale: number) => scale * Math.sqrt(lead) * gaussian(random);
  const windSpeed = Math.max(0.3, day.windSpeed + e(0.5));
  return {
    ...day,
    temperature: r1(day.temperature + e(0.9)),
    dewPoint: r1(day.dewPoint + e(0.9)),
    pressure: r1(day.pressure + e(1.5)),
    precipitation: r1(Math.max(0, day.precipitation + e(0.8))),
    windSpeed: r1(windSpeed),
    windSpeedMax: r1(windSpeed * 1.5),
    windDirection: r1((day.windDirection + e(15) + 360) % 360),
  };
}

export function compassOf(day: SyntheticDay): string {
  return degreesToCompass(day.windDirection);
}
