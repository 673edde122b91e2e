// The pipeline_runs group: one row per `airq run` that wrote something or failed, for `airq status` and the status page.
import { z } from 'zod';
import { col, type FeatureStore, type FeatureGroupSpecInput } from '../../store/index.js';
import { f } from '../feature-groups.js';

export const PIPELINE_RUNS: FeatureGroupSpecInput = {
  name: 'pipeline_runs',
  version: 1,
  description:
    'Every `airq run` that wrote something or failed: when, the day it brought the store to, per place what it wrote or why it failed, and any retraining.',
  primaryKey: ['run_id'],
  eventTime: 'started_at',
  schema: [
    f('run_id', 'string', 'Unique id of the run (its start time and process).'),
    f('started_at', 'timestamp', 'When the run started (UTC).'),
    f('finished_at', 'timestamp', 'When it ended (UTC).'),
    f('today', 'date', 'The day it brought the store to.'),
    f('status', 'string', 'ok, or failed when any place or step failed (the others were still written).'),
    f('trigger', 'string', 'What started it: cli, schedule, start (a stale store when airq serve started) or add_place.'),
    f('places', 'string', 'JSON: per place its id, source, rows written, the days fetched, and the error if it failed.'),
    f('retrain_reason', 'string', 'Why the forecaster was retrained (null: it was not).'),
    f('model_version', 'int', 'The pm25_forecaster version that forecast in this run (null when none could).'),
    f('predictions_written', 'int', 'New predictions logged.'),
    f('errors', 'string', 'What failed, one line each (null when nothing did).'),
  ],
};

export const PlaceOutcomeSchema = z.object({
  id: z.string(),
  source: z.string(),
  status: z.enum(['updated', 'up-to-date', 'failed']),
  /** Days of air quality written. */
  days: z.number().int(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  error: z.string().nullable(),
});
export type PlaceOutcome = z.output<typeof PlaceOutcomeSchema>;

export interface RunRecordRow {
  run_id: string;
  started_at: string;
  finished_at: string;
  today: string;
  status: 'ok' | 'failed';
  trigger: string;
  places: PlaceOutcome[];
  retrain_reason: string | null;
  model_version: number | null;
  predictions_written: number;
  errors: string[];
}

export async function recordPipelineRun(store: FeatureStore, run: RunRecordRow): Promise<void> {
  const g = await store.getOrCreateFeatureGroup(PIPELINE_RUNS);
  await g.insert([{ ...run, places: JSON.stringify(run.places), errors: run.errors.length > 0 ? run.errors.join('\n') : null }]);
}

/** The newest runs first (at most `limit`); empty for a store no `airq run` has written. */
export async function recentRuns(store: FeatureStore, limit = 20): Promise<RunRecordRow[]> {
  if (!store.listFeatureGroups().some((g) => g.name === PIPELINE_RUNS.name)) return [];
  const rows = await store.getFeatureGroup(PIPELINE_RUNS.name).filter(col('run_id').notNull()).read();
  return rows
    .map((r) => ({
      run_id: r.run_id as string,
      started_at: iso(r.started_at),
      finished_at: iso(r.finished_at),
      today: r.today as string,
      status: r.status as 'ok' | 'failed',
      trigger: r.trigger as string,
      places: z
        .array(PlaceOutcomeSchema)
        .catch([])
        .parse(safeJson(r.places as string)),
      retrain_reason: (r.retrain_reason as string | null) ?? null,
      model_version: (r.model_version as number | null) ?? null,
      predictions_written: (r.predictions_written as number | null) ?? 0,
      errors: r.errors ? String(r.errors).split('\n') : [],
    }))
    .sort((a, b) => b.started_at.localeCompare(a.started_at))
    .slice(0, limit);
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return [];
  }
}
