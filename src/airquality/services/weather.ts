// The weather of a place's days, as the forecast and history answers carry it: temperature, rain, wind, and whether it was forecast.
import { and, col, type FeatureStore } from '../../store/index.js';

export interface DayWeather {
  /** Daily mean air temperature, °C. */
  temperature_c: number | null;
  /** Daily total precipitation, mm. */
  precipitation_mm: number | null;
  /** Daily mean and highest hourly wind speed, m/s. */
  wind_mean_ms: number | null;
  wind_max_ms: number | null;
  /** The 16-point compass direction the wind blew from most of the day. */
  wind_from: string | null;
  /** True when these are forecast values (a weather forecast, or recorded weather replayed as one). */
  forecast: boolean;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v * 10) / 10 : null);

/** The weather per date of [from, to] at a place; dates without weather rows are absent. */
export async function weatherByDate(store: FeatureStore, locationId: string, from: string, to: string): Promise<Map<string, DayWeather>> {
  const fg = store.listFeatureGroups().find((g) => g.name === 'weather');
  if (!fg) return new Map();
  const rows = await fg
    .select(['date', 'temperature_mean', 'precipitation_sum', 'wind_speed_mean', 'wind_speed_max', 'wind_direction_dominant', 'is_forecast'])
    .filter(and(col('location_id').eq(locationId), col('date').between(from, to)))
    .read();
  return new Map(
    rows.map((r) => [
      r.date as string,
      {
        temperature_c: num(r.temperature_mean),
        precipitation_mm: num(r.precipitation_sum),
        wind_mean_ms: num(r.wind_speed_mean),
        wind_max_ms: num(r.wind_speed_max),
        wind_from: (r.wind_direction_dominant as string | null) ?? null,
        forecast: r.is_forecast === true,
      },
    ]),
  );
}
