// get_feature_vector: the online, model-ready feature vector of one entity from any feature view.
import { z } from 'zod';
import { defineTool, READ_ONLY } from './tool.js';

const Scalar = z.union([z.string().max(200), z.number(), z.boolean()]);

export default defineTool({
  name: 'get_feature_vector',
  title: 'Get a feature vector',
  description:
    'Returns the latest feature values of one entity from a feature view, as served online to models (transformed, in training order): ' +
    'for checking what a model sees right now. entity gives the view\'s key columns (e.g. {"location_id": "beijing-dongsi"}); list_feature_groups shows keys. ' +
    'Views that read groups without an online store say so. Example: get_feature_vector {"feature_view": "pm25_state", "entity": {"location_id": "beijing-dongsi"}}.',
  input: z
    .object({
      feature_view: z.string().min(1).max(100).describe('The feature view name.'),
      entity: z.record(z.string().max(100), Scalar).describe('Key column values of the entity, e.g. {"location_id": "beijing-dongsi"}.'),
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
  handler: async (args, { store }) => {
    const fv = store.getFeatureView(args.feature_view, args.version);
    const features = (await fv.getFeatureVector(args.entity, { returnType: 'object' })) as Record<string, unknown>;
    return { feature_view: fv.name, version: fv.version, entity: args.entity, features };
  },
});
