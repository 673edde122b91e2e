// Turns hourly observations into the rows of the daily feature groups, with the shared feature functions.
import type { InputRow } from '../../store/index.js';
import { coveredMean, coveredSum, hoursMeasured, maxOf, round } from '../features/daily.js';
import { lag, rollingMean, type DailyPoint } from '../features/lags.js';
import { dailyWind } from '../features/wind.js';
import type { BeijingHour } from '../sources/beijing.js';

/** Hours grouped by local date, in date order; an hour given twice counts once (the first), so the 18-hour rule counts distinct hours. */
export function byDate(hours: readonly BeijingHour[]): Map<string, BeijingHour[]> {
  const days = new Map<string, BeijingHour[]>();
  for (const h of hours) {
    const day = days.get(h.date);
    if (!day) days.set(h.date, [h]);
    else if (!day.some((d) => d.hour === h.hour)) day.push(h);
  }
  return new Map([...days.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function airQualityRow(locationId: string, date: string, hours: readonly BeijingHour[]): InputRow {
  const pm25 = hours.map((h) => h.pm25);
  return {
    location_id: locationId,
    date,
    pm25: round(coveredMean(pm25)),
    pm25_max: maxOf(pm25),
    pm10: round(coveredMean(hours.map((h) => h.pm10))),
    no2: round(coveredMean(hours.map((h) => h.no2))),
    hours_measured: hoursMeasured(pm25),
    pm25_source: 'uci-beijing',
  };
}

export function weatherRow(locationId: string, date: string, hours: readonly BeijingHour[]): InputRow {
  const wind = dailyWind(hours.map((h) => ({ speed: h.wspm, direction: h.wd })));
  return {
    location_id: locationId,
    date,
    temperature_mean: round(coveredMean(hours.map((h) => h.temp))),
    dew_point_mean: round(coveredMean(hours.map((h) => h.dewp))),
    pressure_mean: round(coveredMean(hours.map((h) => h.pres))),
    precipitation_sum: round(coveredSum(hours.map((h) => h.rain))),
    wind_speed_mean: round(wind.speedMean),
    wind_speed_max: wind.speedMax,
    wind_u: round(wind.u, 3),
    wind_v: round(wind.v, 3),
    wind_direction: wind.direction,
    wind_direction_dominant: wind.dominant,
    is_forecast: false,
    forecast_issued_on: null,
  };
}

/** Lag and rolling features for a location's daily PM2.5 series (sorted by date), point-in-time. */
export function lagRows(locationId: string, series: readonly DailyPoint[]): InputRow[] {
  const [l1, l2, l3, l7] = [1, 2, 3, 7].map((k) => lag(series, k));
  const m3 = rollingMean(series, 3, 2);
  const m7 = rollingMean(series, 7, 4);
  return series.map((p, i) => ({
    location_id: locationId,
    date: p.date,
    pm25_lag1: l1![i]!,
    pm25_lag2: l2![i]!,
    pm25_lag3: l3![i]!,
    pm25_lag7: l7![i]!,
    pm25_mean_3d: round(m3[i]!),
    pm25_mean_7d: round(m7[i]!),
  }));
}
