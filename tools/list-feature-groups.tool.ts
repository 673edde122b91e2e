// list_feature_groups: the feature groups of the store, with keys, columns, row counts and embedding indexes.
import { z } from 'zod';
import { defineTool, READ_ONLY } from './tool.js';

export default defineTool({
  name: 'list_feature_groups',
  title: 'List feature groups',
  description:
    'Lists the feature groups of the airq feature store (air_quality, weather, air_quality_lags, forecast_targets, aq_predictions, documents, day_patterns, ...): ' +
    'version, description, primary key, event time, columns with types, row count, and which vector columns can be searched with search_similar. Example: list_feature_groups {}.',
  input: z.object({}).strict(),
  output: z.object({
    feature_groups: z.array(
      z.object({
        name: z.string(),
        version: z.number(),
        description: z.string(),
        primary_key: z.array(z.string()),
        event_time: z.string().nullable(),
        columns: z.array(z.object({ name: z.string(), type: z.string(), description: z.string().optional() })),
        rows: z.number(),
        searchable_columns: z.array(z.string()),
      }),
    ),
  }),
  annotations: READ_ONLY,
  errors: {},
  handler: async (_args, { store }) => ({
    feature_groups: await Promise.all(
      store.listFeatureGroups().map(async (g) => ({
        name: g.name,
        version: g.version,
        description: g.description,
        primary_key: [...g.primaryKey],
        event_time: g.eventTime ?? null,
        columns: (g.meta.schema ?? []).map((c) => ({
          name: c.name,
          type: c.type === 'vector' ? `vector(${c.dim})` : c.type,
          ...(c.description ? { description: c.description } : {}),
        })),
        rows: g.meta.schema ? await g.count() : 0,
        searchable_columns: (g.meta.embeddingIndex ?? []).map((e) => e.column),
      })),
    ),
  }),
});
