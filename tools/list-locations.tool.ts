// list_locations: every place airq has data for, with ids, names, coordinates and where its data comes from.
import { z } from 'zod';
import { listLocations } from '../src/airquality/services/locations.js';
import { defineTool, READ_ONLY } from './tool.js';
import { LocationOut } from './schemas.js';

export default defineTool({
  name: 'list_locations',
  title: 'List locations',
  description:
    'Lists every location airq has air-quality data for: id, name, city, country, coordinates, time zone, data source and aliases. ' +
    'Call it first when unsure how a place is named, or when another tool says a location is unknown. Example: list_locations {}.',
  input: z.object({}).strict(),
  output: z.object({ locations: z.array(LocationOut) }),
  annotations: READ_ONLY,
  errors: {},
  handler: async (_args, { store }) => ({ locations: await listLocations(store) }),
});
