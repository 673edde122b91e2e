// find_similar_days: past days whose weather and PM2.5 lead-up were most like a given day, and what PM2.5 did next.
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../src/core/errors.js';
import { resolveLocation } from '../src/airquality/services/locations.js';
import { and, col } from '../src/store/index.js';
import { defineTool, READ_ONLY } from './tool.js';
import { IsoDate, LocationText } from './schemas.js';

export default defineTool({
  name: 'find_similar_days',
  title: 'Find similar days',
  description:
    'Finds the k earlier days whose weather (that day and the day before) and PM2.5 lead-up were most like a given day at a location, ' +
    'with the PM2.5 (µg/m³) of each similar day and of the 3 days after it: "what happened the last times the weather looked like this?". ' +
    'Set all_locations to search every location. Example: find_similar_days {"location": "{place}", "k": 5}.',
  input: z
    .object({
      location: LocationText,
      date: IsoDate.optional().describe('The day to compare (default: the latest day with data up to today).'),
      k: z.number().int().min(1).max(50).default(5).describe('How many similar days (1-50, default 5).'),
      all_locations: z.boolean().default(false).describe('Search every location, not only this one.'),
    })
    .strict(),
  output: z.object({
    unit: z.literal('µg/m³'),
    day: z.object({ location_id: z.string(), date: z.string(), pm25: z.number().nullable() }),
    similar: z.array(
      z.object({
        location_id: z.string(),
        date: z.string(),
        distance: z.number().describe('Smaller is more alike.'),
        pm25: z.number().nullable(),
        next_days: z.array(z.number().nullable()).describe('PM2.5 on the 1st, 2nd and 3rd day after.'),
      }),
    ),
  }),
  annotations: READ_ONLY,
  errors: {
    NOT_FOUND: 'The location matches no place (call list_locations), or its day patterns are not computed yet (they come with the daily run).',
    VALIDATION: 'Give date as YYYY-MM-DD, a day up to today.',
  },
  handler: async (args, { store, today }, call) => {
    await call.progress(0, 2, 'resolving the location and day');
    const loc = await resolveLocation(store, args.location);
    if (args.date !== undefined && args.date > today())
      throw new ValidationError(`${args.date} is after today (${today()}): similar days are found for days with data`);
    let date = args.date;
    if (date === undefined) {
      const patterns = store.listFeatureGroups().find((g) => g.name === 'day_patterns');
      const days = patterns
        ? await patterns
            .select(['date'])
            .filter(and(col('location_id').eq(loc.location_id), col('date').le(today())))
            .read()
        : [];
      date = days
        .map((d) => d.date as string)
        .sort()
        .at(-1);
      if (date === undefined)
        throw new NotFoundError(`no day patterns for ${loc.location_id} up to ${today()}: the store has not computed them yet (its daily run does)`);
    }
    call.signal.throwIfAborted();
    await call.progress(1, 2, `searching the day patterns for days like ${date}`);
    const { findSimilarDays } = await import('../src/airquality/patterns/similar-days.js'); // loaded on first call
    const r = await findSimilarDays(store, loc.location_id, date, { k: args.k, allLocations: args.all_locations });
    await call.progress(2, 2, `found ${r.similar.length} similar days`);
    return { unit: 'µg/m³' as const, ...r };
  },
});
