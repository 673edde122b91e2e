// MCP prompts: ready-made requests that tell the model which tools to call and what to say.
import { completable, type McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { Moments } from '../airquality/services/moment.js';
import { completeForecastDate, completeLocation, completeLocationList } from './completions.js';

const user = (text: string) => ({ messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }] });

export function registerPrompts(server: McpServer, moments: Moments): void {
  const date = () =>
    // The SDK looks for the completer under .optional(), so completable() goes inside it.
    completable(z.string().max(10).describe('The day, YYYY-MM-DD (default: tomorrow).'), (typed) =>
      moments(async ({ today }) => completeForecastDate(today, typed)),
    ).optional();
  server.registerPrompt(
    'air_quality_briefing',
    {
      title: 'Air-quality briefing',
      description: 'A short briefing for one location: recent air quality, the 7-day forecast with its uncertainty, and health advice.',
      argsSchema: z.object({
        location: completable(z.string().min(1).max(200).describe('A location id or name.'), (typed) => moments(({ store }) => completeLocation(store, typed))),
        date: date(),
      }),
    },
    ({ location, date }) =>
      user(
        `Give me an air-quality briefing for ${location}${date ? ` for ${date}` : ''}. ` +
          'Use get_air_quality_history for the last 7 days, get_air_quality_forecast for the coming days, and explain_forecast for the day that matters most; ' +
          'look up health advice with search_similar on the "documents" group. State PM2.5 in µg/m³ with the AQI category, give the 80% interval, ' +
          'say whether values are observations, forecasts (with their issue date) or replayed/synthetic data, and cite the documents you used.',
      ),
  );
  server.registerPrompt(
    'compare_locations',
    {
      title: 'Compare locations',
      description: 'Compares the forecast air quality of several locations for one day.',
      argsSchema: z.object({
        locations: completable(z.string().min(1).max(1000).describe('Location ids or names, separated by commas.'), (typed) =>
          moments(({ store }) => completeLocationList(store, typed)),
        ),
        date: date(),
      }),
    },
    ({ locations, date }) =>
      user(
        `Compare the air quality of ${locations}${date ? ` on ${date}` : ' tomorrow'}. Call get_air_quality_forecast for each location, ` +
          'rank them from cleanest to most polluted by forecast PM2.5 (µg/m³) with AQI categories and 80% intervals, and say where the intervals overlap so the ranking is uncertain.',
      ),
  );
}
