// MCP prompts: ready-made requests that tell the model which tools to call and what to say.
import { completable, ProtocolError, ProtocolErrorCode, type McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { addDays, isIsoDate, weekdayIndex } from '../core/dates.js';
import { errorMessage } from '../core/errors.js';
import { resolveLocation } from '../airquality/services/locations.js';
import type { Moments } from '../airquality/services/moment.js';
import type { FeatureStore } from '../store/index.js';
import { completeForecastDate, completeLocation, completeLocationList } from './completions.js';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
/** A day as a prompt argument may say it: YYYY-MM-DD, today, tomorrow, or a weekday (the next one after today). */
const DateArg = z
  .string()
  .trim()
  .toLowerCase()
  .refine((d) => isIsoDate(d) || ['today', 'tomorrow', ...WEEKDAYS].includes(d), 'a date written YYYY-MM-DD, or today, tomorrow or a weekday');

/** The ISO date a date argument names, counted from today. */
function dayOf(arg: string, today: string): string {
  if (isIsoDate(arg)) return arg;
  if (arg === 'today') return today;
  if (arg === 'tomorrow') return addDays(today, 1);
  const ahead = (WEEKDAYS.indexOf(arg) - weekdayIndex(today) + 7) % 7 || 7;
  return addDays(today, ahead);
}

/** A place as the store names it ("Dongsi (beijing-dongsi)"); an unknown one is an invalid argument that says the closest. */
async function placeOf(store: FeatureStore, text: string): Promise<string> {
  try {
    const l = await resolveLocation(store, text);
    return `${l.name} (${l.location_id})`;
  } catch (e) {
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, errorMessage(e));
  }
}

const user = (text: string) => ({ messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }] });

export function registerPrompts(server: McpServer, moments: Moments): void {
  const date = () =>
    // The SDK looks for the completer under .optional(), so completable() goes inside it.
    completable(DateArg.describe('The day: YYYY-MM-DD, today, tomorrow or a weekday (default: tomorrow).'), (typed) =>
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
      moments(async ({ store, today }) => {
        const place = await placeOf(store, location);
        return user(
          `Give me an air-quality briefing for ${place}${date ? ` for ${dayOf(date, today)}` : ''}. ` +
            'Use get_air_quality_history for the last 7 days, get_air_quality_forecast for the coming days, and explain_forecast for the day that matters most; ' +
            'look up health advice with search_similar on the "documents" group. State PM2.5 in µg/m³ with the AQI category, give the 80% interval, ' +
            'say whether values are observations, forecasts (with their issue date) or replayed/synthetic data, and cite the documents you used.',
        );
      }),
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
      moments(async ({ store, today }) => {
        const names = locations
          .split(',')
          .map((x) => x.trim())
          .filter((x) => x !== '');
        if (names.length < 2) throw new ProtocolError(ProtocolErrorCode.InvalidParams, 'name at least two locations, separated by commas');
        const places = await Promise.all(names.map((n) => placeOf(store, n)));
        return user(
          `Compare the air quality of ${places.join(', ')} on ${date ? dayOf(date, today) : addDays(today, 1)}. Call get_air_quality_forecast for each location, ` +
            'rank them from cleanest to most polluted by forecast PM2.5 (µg/m³) with AQI categories and 80% intervals, and say where the intervals overlap so the ranking is uncertain.',
        );
      }),
  );
}
