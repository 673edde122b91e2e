// get_air_quality_forecast: the latest PM2.5 forecast for the next 7 days, with 80% intervals and AQI categories.
import { z } from 'zod';
import { readForecast } from '../src/airquality/services/forecast-read.js';
import { defineTool, READ_ONLY } from './tool.js';
import { DayWeatherOut, IsoDate, LocationOut, LocationText } from './schemas.js';

export default defineTool({
  name: 'get_air_quality_forecast',
  title: 'Air-quality forecast',
  description:
    'The PM2.5 forecast (daily mean, µg/m³) for the 7 days after today at one location, each day with its 80% prediction interval, US AQI value and category, ' +
    "the date the forecast was issued, the model version, whether its weather inputs were a replayed perfect forecast, and the day's weather forecast " +
    '(temperature, rain, wind). Use it for "will the air be OK tomorrow / on Saturday?" and "will it rain there tomorrow?". Give start_date (and end_date) for particular days. ' +
    'Example: get_air_quality_forecast {"location": "{place}"}.',
  input: z
    .object({
      location: LocationText,
      start_date: IsoDate.optional().describe('First forecast day (default: tomorrow).'),
      end_date: IsoDate.optional().describe('Last forecast day (default: start_date if given, else 7 days after today).'),
    })
    .strict(),
  output: z.object({
    location: LocationOut,
    unit: z.literal('µg/m³'),
    today: z.string(),
    interval: z.string(),
    days: z.array(
      z.object({
        date: z.string(),
        days_ahead: z.number(),
        pm25: z.number(),
        pm25_lower: z.number(),
        pm25_upper: z.number(),
        aqi: z.number().nullable(),
        category: z.string().nullable(),
        advice: z.string().nullable().describe('Health advice for the AQI category.'),
        kind: z.literal('forecast'),
        issue_date: z.string(),
        model: z.string(),
        perfect_forecast: z.boolean(),
        weather: DayWeatherOut,
      }),
    ),
    data_age: z.string().nullable().describe('Present when the forecast was issued before today (the data was not updated since). Say it.'),
  }),
  annotations: READ_ONLY,
  errors: {
    NOT_FOUND:
      'The location matches no place, or it has no forecast yet (its daily run makes them): call list_locations; a known place without a forecast has its history in get_air_quality_history.',
    VALIDATION:
      'Forecast days are the 7 days after today, as YYYY-MM-DD with start_date on or before end_date; for days up to today call get_air_quality_history.',
  },
  handler: (args, { store, today }) => readForecast(store, args.location, today(), args.start_date, args.end_date),
});
