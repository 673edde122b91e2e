// add_place (opt-in: `airq mcp --allow-add-places`): geocodes a new place, backfills a year of history, retrains and forecasts, with progress.
import { z } from 'zod';
import { providerConfig } from '../src/core/config.js';
import { ValidationError } from '../src/core/errors.js';
import { defineTool } from './tool.js';
import { LocationOut } from './schemas.js';

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
      name: z
        .string()
        .min(1)
        .max(100)
        .optional()
        .describe('The place, as people say it; "Springfield, Illinois" narrows by region or country. Optional with coordinates.'),
      latitude: z.number().min(-90).max(90).optional().describe('Degrees north, with longitude, for a place the name does not find.'),
      longitude: z.number().min(-180).max(180).optional().describe('Degrees east, with latitude.'),
      pick: z.number().int().min(1).max(10).optional().describe('Which of several same-named places (1-based, in the order the error listed them).'),
    })
    .strict(),
  output: z.object({
    location: LocationOut.omit({ aliases: true }),
    history_days: z.number(),
    history_until: z.string().describe('The last day of its history (its today).'),
    forecast: z.object({ model: z.string(), version: z.number(), predictions_written: z.number() }).nullable(),
    failed: z.array(z.string()),
  }),
  annotations: { readOnlyHint: false, idempotentHint: false, openWorldHint: true },
  errors: {
    NOT_FOUND: 'Nothing by that name was found: try a fuller name ("Springfield, Illinois") or give latitude and longitude.',
    USAGE: 'Several places share the name, or the pick is out of range: call again with pick (from the list in the message) or with coordinates.',
    VALIDATION: 'Give a name with a letter or digit, or both latitude (-90 to 90) and longitude (-180 to 180).',
    CONFLICT: 'airq already tracks that place: use it (list_locations), or give another name.',
    CONFIG: "airq's provider settings are wrong (the message names the setting); tell the person: the operator has to fix them.",
    UNAVAILABLE: 'A data provider did not answer; try again in a few minutes.',
  },
  handler: async (args, deps, call) => {
    const named = args.name ?? (args.latitude !== undefined && args.longitude !== undefined ? `Place at ${args.latitude}, ${args.longitude}` : undefined);
    if (named === undefined) throw new ValidationError('give the place a name, or its latitude and longitude');
    // The pipelines behind this tool load on its first call: a session that never adds a place never loads them.
    const [{ parsePlaceInput }, { addPlaceAndRun }] = await Promise.all([
      import('../src/airquality/places/place-input.js'),
      import('../src/airquality/places/add-and-run.js'),
    ]);
    const input = parsePlaceInput({ ...args, name: named });
    const providers = { config: providerConfig(), fetch: { retries: 2, timeoutMs: 20_000 } };
    const r = await addPlaceAndRun(deps.store.dir, input, {
      providers,
      embedder: deps.embedder,
      today: deps.today(),
      progress: (d, t, m) => call.progress(d, t, m),
    });
    return {
      location: r.place,
      history_days: r.historyDays,
      history_until: r.historyUntil,
      forecast: r.run.forecast ? { ...r.run.forecast } : null,
      failed: r.run.failed,
    };
  },
});
