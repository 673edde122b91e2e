// explain_forecast: which features drove a forecast, with their values and how much each pushed PM2.5 up or down.
import { z } from 'zod';
import { addDays } from '../src/core/dates.js';
import { defineTool, READ_ONLY } from './tool.js';
import { IsoDate, LocationText } from './schemas.js';

export default defineTool({
  name: 'explain_forecast',
  title: 'Explain a forecast',
  description:
    "Explains the latest PM2.5 forecast for one day at one location: the baseline (the model's average) and the features that moved the forecast most, " +
    'each with its value, its meaning and unit, and its contribution in µg/m³ (positive raises PM2.5). Baseline + all contributions = the forecast. ' +
    'It also explains the 80% interval: how wide the uncertainty is today against an average day, and which features widen it. ' +
    'Use it for "why is tomorrow forecast to be bad?". Without a date it explains tomorrow. Example: explain_forecast {"location": "{place}"}.',
  input: z
    .object({
      location: LocationText,
      date: IsoDate.optional().describe('The forecast day, YYYY-MM-DD: one of the days get_air_quality_forecast returns (default: tomorrow).'),
      top: z.number().int().min(1).max(60).default(8).describe('How many drivers to list (1-60, default 8; 60 lists every input).'),
    })
    .strict(),
  output: z.object({
    location_id: z.string(),
    date: z.string(),
    issue_date: z.string(),
    model: z.string(),
    unit: z.literal('µg/m³'),
    pm25: z.number(),
    category: z.string().nullable().describe('US AQI category of the forecast value.'),
    advice: z.string().nullable().describe('Health advice for the category.'),
    baseline: z.number(),
    drivers: z.array(z.object({ feature: z.string(), meaning: z.string(), value: z.number().nullable(), contribution: z.number() })),
    interval: z
      .object({
        level_percent: z.number().describe('The interval holds the actual value this often (80).'),
        lower: z.number(),
        upper: z.number(),
        band_width: z.number().describe("The uncertainty models' band (90th minus 10th percentile) for this day, µg/m³."),
        typical_band_width: z.number().describe('The same band on an average day, µg/m³.'),
        wideners: z
          .array(z.object({ feature: z.string(), meaning: z.string(), value: z.number().nullable(), widening: z.number() }))
          .describe('The features that widened (positive) or narrowed the band most, µg/m³ of band.'),
      })
      .describe('The 80% interval and what makes it as wide as it is today.'),
  }),
  annotations: READ_ONLY,
  errors: {
    NOT_FOUND: 'The location matches no place (call list_locations), or no forecast covers that day: get_air_quality_forecast lists the forecast days.',
  },
  handler: async (args, { store, today }) => {
    const { explainForecast } = await import('../src/airquality/services/explain.js'); // loaded on first call
    return explainForecast(store, args.location, args.date ?? addDays(today(), 1), today(), args.top);
  },
});
