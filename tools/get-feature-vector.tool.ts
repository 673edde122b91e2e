// get_feature_vector: the online, model-ready feature vector of one entity from any feature view.
import { z } from 'zod';
import { ColumnValues, recordOf } from './schemas.js';
import { defineTool, READ_ONLY } from './tool.js';

export default defineTool({
  name: 'get_feature_vector',
  title: 'Get a feature vector',
  description:
    'Returns the latest feature values of one entity from a feature view, as served online to models (transformed, in training order): ' +
    "for checking what a model sees right now. entity gives the value of each of the view's key columns; list_feature_groups shows the keys. " +
    'Views that read groups without an online store say so. Example: get_feature_vector {"feature_view": "pm25_state", "entity": [{"column": "location_id", "value": "{place_id}"}]}.',
  input: z
    .object({
      feature_view: z.string().min(1).max(100).describe('The feature view name.'),
      entity: ColumnValues.describe('The entity\'s key column values, e.g. [{"column": "location_id", "value": "beijing-dongsi"}].'),
      version: z.number().int().min(1).max(100_000).optional().describe('View version (default: the latest).'),
    })
    .strict(),
  output: z.object({
    feature_view: z.string(),
    version: z.number(),
    entity: z.record(z.string(), z.unknown()),
    features: z.record(z.string(), z.unknown()),
  }),
  annotations: READ_ONLY,
  errors: {
    NOT_FOUND:
      'The view, its version or the entity is not in the store: list_feature_groups shows the views and their keys, and a location is given by its id (list_locations), not its name.',
    VALIDATION: "entity must give every key column of the view once (list_feature_groups shows the keys), with a location's id, not its name.",
  },
  handler: async (args, { store }) => {
    const fv = store.getFeatureView(args.feature_view, args.version);
    const entity = recordOf(args.entity);
    const features = (await fv.getFeatureVector(entity, { returnType: 'object' })) as Record<string, unknown>;
    return { feature_view: fv.name, version: fv.version, entity, features };
  },
});
