// get_air_quality_history: observed daily PM2.5 (and PM10, NO2) for a location and a date range.
import { z } from 'zod';
import { airQualityHistory, MAX_RANGE_DAYS } from '../src/airquality/services/history.js';
import { addDays } from '../src/core/dates.js';
import { defineTool, READ_ONLY } from './tool.js';
import { DayWeatherOut, IsoDate, LocationOut, LocationText } from './schemas.js';

const Value = z.number().nullable();

export default defineTool({
  name: 'get_air_quality_history',
  title: 'Air-quality history',
  description:
    "Observed daily air quality for one location: PM2.5 daily mean and max, PM10 and NO2, all in µg/m³, with the US AQI category and health advice of the PM2.5 mean and the day's recorded weather (temperature, rain, wind), one row per day with its date and kind " +
    '(observation; replayed for the historical Beijing data; synthetic for the simulated city). A day without enough measurements has pm25 null. ' +
    `Use it for "how was the air last week?" questions. At most ${MAX_RANGE_DAYS} days per call. ` +
    'Without dates it gives the last 7 days up to today. Example: get_air_quality_history {"location": "{place}"}.',
  input: z
    .object({
      location: LocationText,
      start_date: IsoDate.optional().describe('First day, YYYY-MM-DD (default: 6 days before end_date, so a week).'),
      end_date: IsoDate.optional().describe(`Last day, YYYY-MM-DD (default: today without start_date, else the ${MAX_RANGE_DAYS} days from start_date).`),
    })
    .strict(),
  output: z.object({
    location: LocationOut,
    unit: z.literal('µg/m³'),
    start_date: z.string(),
    end_date: z.string(),
    days: z.array(
      z.object({
        date: z.string(),
        pm25: Value,
        pm25_max: Value,
        pm10: Value,
        no2: Value,
        hours_measured: Value,
        aqi: Value.describe('US AQI of the PM2.5 daily mean.'),
        category: z.string().nullable().describe('AQI category of the PM2.5 daily mean.'),
        advice: z.string().nullable().describe('Health advice for the category.'),
        kind: z
          .enum(['observation', 'model', 'synthetic', 'replayed'])
          .describe('observation: a sensor measured it; model: CAMS model values, not measurements.'),
        weather: DayWeatherOut,
      }),
    ),
    note: z.string().optional().describe('Present when there are no measurements: missing data, not clean air.'),
    available: z.object({ first: z.string().nullable(), last: z.string().nullable() }),
    data_age: z.string().nullable().describe('Present when the data stops days before today: how old the newest value is. Say it.'),
  }),
  annotations: READ_ONLY,
  errors: {
    NOT_FOUND: 'The location matches no place airq has: call list_locations and use one of its ids or names.',
    VALIDATION: `Give dates as YYYY-MM-DD with start_date on or before end_date, at most ${MAX_RANGE_DAYS} days apart.`,
  },
  handler: (args, { store, today }) => {
    // Without a start: the week that ends on end_date (today by default).
    const end = args.end_date ?? (args.start_date ? undefined : today());
    return airQualityHistory(store, args.location, args.start_date ?? addDays(end!, -6), end, today());
  },
});
