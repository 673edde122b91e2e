// `airq places add|list|remove`: the places a live store keeps fresh.
import { z } from 'zod';
import { join } from 'node:path';
import { addPlace, removePlace, resolvePlace } from '../../airquality/places/places.js';
import { parsePlaceInput } from '../../airquality/places/place-input.js';
import { updateStore } from '../../airquality/pipelines/update-store.js';
import { dataStatus } from '../../airquality/services/status.js';
import { listLocations } from '../../airquality/services/locations.js';
import { UnavailableError, UsageError } from '../../core/errors.js';
import { asUsage, noMorePositionals, option, parse, positional } from '../args.js';
import { contextFrom, lazyEmbedder, openForReading, todayFor, withWriter, type CliContext } from '../context.js';
import { table } from '../output.js';
import { printUpdate, providersFor } from './run.js';
import type { Parsed } from '../args.js';

const Coordinate = z.coerce.number({ error: 'must be a number of degrees' }).refine(Number.isFinite, 'must be a number of degrees');

const PICK = 'must be a whole number from 1 to 10';
const Pick = z.coerce.number({ error: PICK }).int(PICK).min(1, PICK).max(10, PICK);

async function add(p: Parsed, ctx: CliContext): Promise<void> {
  if (p.positionals.length === 0)
    throw new UsageError('places add: give the place a name, e.g. `airq places add "Berlin Neukölln"` (see `airq places add --help`)');
  const v = p.values;
  const num = (name: string, schema: z.ZodType<number>) => (typeof v[name] === 'string' ? option(schema, v[name], name) : undefined);
  const input = await asUsage('places add', () =>
    parsePlaceInput({
      name: p.positionals.join(' '),
      ...(v.lat !== undefined ? { latitude: num('lat', Coordinate) } : {}),
      ...(v.lon !== undefined ? { longitude: num('lon', Coordinate) } : {}),
      ...(typeof v.timezone === 'string' ? { timezone: v.timezone } : {}),
      ...(typeof v.sensor === 'string' ? { sensor: v.sensor } : {}),
      ...(v.pick !== undefined ? { pick: num('pick', Pick) } : {}),
    }),
  );
  const providers = providersFor(ctx);
  // Two writes: the place and its history first (a failure removes a store this started), then the run,
  // whose failure leaves the place in the store for the next run.
  const { place, added } = await withWriter(ctx, { create: true }, async (store) => {
    const place = await resolvePlace(store, input, providers);
    ctx.log.info(`adding ${place.location_id} (${place.latitude.toFixed(3)}, ${place.longitude.toFixed(3)}, ${place.timezone}); fetching a year of history`);
    return { place, added: await addPlace(store, place, providers, ctx.todayOverride) };
  });
  const run = v['no-run']
    ? undefined
    : await withWriter(ctx, { create: false }, (store) =>
        updateStore(store, { today: ctx.todayOverride, providers, embedder: lazyEmbedder(ctx), chartsDir: join(ctx.storeDir, 'charts'), trigger: 'cli' }),
      );
  if (v.json) ctx.out.json({ place: added.place, backfill: added.run, run: run ?? null });
  else {
    ctx.out.line(
      `added ${place.location_id}: ${place.name}${place.city && place.city !== place.name ? `, ${place.city}` : ''}${place.country ? ` (${place.country})` : ''} at ${place.latitude.toFixed(3)}, ${place.longitude.toFixed(3)}, ${place.timezone}`,
    );
    ctx.out.line(
      `  ${added.run.days} days of air quality up to ${added.today} from ${place.source === 'open-meteo' ? 'the CAMS model (model values, not measurements)' : place.source}, with weather`,
    );
    if (run) printUpdate(ctx, run);
    else ctx.out.line('next: `airq run` trains the forecaster with it and forecasts');
  }
  // The place is in the store either way; what failed after it is retried by the next run.
  if (run && run.failed.length > 0) throw new UnavailableError(`${place.location_id} was added, but part of the run failed: ${run.failed.join('; ')}`);
}

async function list(p: Parsed, ctx: CliContext): Promise<void> {
  const store = await openForReading(ctx);
  try {
    const status = await dataStatus(store, todayFor(ctx, store));
    const where = new Map((await listLocations(store).catch(() => [])).map((l) => [l.location_id, l]));
    const rows = status.places.map((s) => {
      const l = where.get(s.id)!;
      return { ...s, city: l.city, country: l.country, latitude: l.latitude, longitude: l.longitude, timezone: l.timezone };
    });
    if (p.values.json) return ctx.out.json({ today: status.today, places: rows });
    if (rows.length === 0) return ctx.out.line('no places yet: add one with `airq places add NAME`');
    ctx.out.line(
      table(
        rows.map((r) => ({
          id: r.id,
          name: r.name,
          where: [r.city, r.country].filter(Boolean).join(', '),
          timezone: r.timezone,
          source: r.source,
          last_observation: r.last_observation,
          forecast_until: r.forecast_until,
          stale: r.stale.length > 0 ? 'yes' : '',
        })),
      ),
    );
  } finally {
    await store.close();
  }
}

async function remove(p: Parsed, ctx: CliContext): Promise<void> {
  const id = positional(p, 0, 'the id of the place (airq places list shows them)', 'places remove');
  noMorePositionals(p, 1, 'places remove');
  const r = await withWriter(ctx, { create: false }, (store) => removePlace(store, id, { keepData: p.values['keep-data'] === true }));
  if (p.values.json) return ctx.out.json(r);
  const rows = Object.entries(r.rows).filter(([, n]) => n > 0);
  ctx.out.line(`removed ${id}${p.values['keep-data'] ? ' (its data is kept)' : `: ${rows.map(([g, n]) => `${n} ${g}`).join(', ') || 'no rows'}`}`);
  ctx.out.line('the next `airq run` forecasts with a model of the places left (training one if there is none)');
}

export async function placesCommand(argv: readonly string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const options = {
    json: { type: 'boolean' },
    lat: { type: 'string' },
    lon: { type: 'string' },
    timezone: { type: 'string' },
    sensor: { type: 'string' },
    pick: { type: 'string' },
    'no-run': { type: 'boolean' },
    'keep-data': { type: 'boolean' },
  } as const;
  const p = parse(rest, options, `places ${sub ?? ''}`.trim());
  const ctx = contextFrom(p);
  if (sub === 'add') return add(p, ctx);
  if (sub === 'list') {
    noMorePositionals(p, 0, 'places list');
    return list(p, ctx);
  }
  if (sub === 'remove') return remove(p, ctx);
  throw new UsageError(`places: ${sub === undefined ? 'say which' : `unknown "${sub}"`}: add, list or remove (see \`airq places --help\`)`);
}
