// add_place (opt-in: `airq mcp --allow-add-places`): geocodes a new place, backfills a year of history, retrains and forecasts, with progress.
import { z } from 'zod';
import { parsePlaceInput } from '../src/airquality/places/place-input.js';
import { addPlace, resolvePlace } from '../src/airquality/places/places.js';
import { updateStore } from '../src/airquality/pipelines/update-store.js';
import { providerConfig } from '../src/core/config.js';
import { FeatureStore } from '../src/store/index.js';
import { ValidationError } from '../src/core/errors.js';
import { placeToday, storeToday } from '../src/airquality/store-clock.js';
import { defineTool } from './tool.js';

/** The server's today when it was given (--today), else undefined: the run then takes each place's own day. */
const overridden = (store: FeatureStore, today: string) => (today === storeToday(store) ? undefined : today);

export default defineTool({
  name: 'add_place',
  title: 'Add a place',
  description:
    'Adds a place airq does not track yet, so its air quality can be asked about: looks the name up (or takes latitude and longitude), ' +
    'fetches a year of weather and air-quality history (CAMS model values, or the given sensor’s measurements), retrains the forecaster and forecasts the next 7 days. ' +
    'Takes a minute; sends progress. Call it only when the person asks about a place list_locations does not have and wants it added. ' +
    'When several places share the name, it fails with the candidates: call again with `pick` or with coordinates. ' +
    'Example: add_place {"name": "Berlin Neukölln"} or add_place {"latitude": 48.85, "longitude": 2.35}.',
  input: z
    .object({
      name: z.string().min(1).max(100).optional().describe('The place, as people say it; "Springfield, Illinois" narrows by region or country. Optional with coordinates.'),
      latitude: z.number().min(-90).max(90).optional().describe('Degrees north, with longitude, for a place the name does not find.'),
      longitude: z.number().min(-180).max(180).optional().describe('Degrees east, with latitude.'),
      pick: z.number().int().min(1).max(10).optional().describe('Which of several same-named places (1-based, in the order the error listed them).'),
    })
    .strict(),
  output: z.object({
    location: z.object({ location_id: z.string(), name: z.string(), city: z.string(), country: z.string(), latitude: z.number(), longitude: z.number(), timezone: z.string(), source: z.string() }),
    history_days: z.number(),
    history_until: z.string().describe('The last day of its history (its today).'),
    forecast: z.object({ model: z.string(), version: z.number(), predictions_written: z.number() }).nullable(),
    failed: z.array(z.string()),
  }),
  annotations: { readOnlyHint: false, idempotentHint: false, openWorldHint: true },
  handler: async (args, deps, call) => {
    const named = args.name ?? (args.latitude !== undefined && args.longitude !== undefined ? `Place at ${args.latitude}, ${args.longitude}` : undefined);
    if (named === undefined) throw new ValidationError('give the place a name, or its latitude and longitude');
    const input = parsePlaceInput({ ...args, name: named });
    const today = deps.today();
    const providers = { config: providerConfig(), fetch: { retries: 2, timeoutMs: 20_000 } };
    await call.progress(0, 4, 'opening the store for writing');
    const store = await FeatureStore.open({ dir: deps.store.dir, wait: { waitMs: 60_000, command: 'the add_place tool' } });
    try {
      await call.progress(1, 4, `looking up ${input.name}`);
      const place = await resolvePlace(store, input, providers);
      await call.progress(2, 4, `fetching a year of history for ${place.location_id}`);
      const added = await addPlace(store, place, providers, placeToday(place.timezone, today));
      await call.progress(3, 4, 'training the forecaster and forecasting');
      const run = await updateStore(store, { providers, embedder: deps.embedder, trigger: 'add_place', today: overridden(store, today) });
      await call.progress(4, 4, 'done');
      return { location: place, history_days: added.run.days, history_until: added.today, forecast: run.forecast ? { ...run.forecast } : null, failed: run.failed };
    } finally {
      await store.close();
    }
  },
});
