// Every MCP tool airq serves (one file each); src/mcp registers this list.
import addPlace from './add-place.tool.js';
import explainForecast from './explain-forecast.tool.js';
import findSimilarDays from './find-similar-days.tool.js';
import getAirQualityForecast from './get-air-quality-forecast.tool.js';
import getAirQualityHistory from './get-air-quality-history.tool.js';
import getDataStatus from './get-data-status.tool.js';
import getFeatureVector from './get-feature-vector.tool.js';
import listFeatureGroups from './list-feature-groups.tool.js';
import listLocations from './list-locations.tool.js';
import searchSimilar from './search-similar.tool.js';
import type { ToolDefinition } from './tool.js';

export { DETACHED_CALL, type ToolCall, type ToolDefinition, type ToolDeps } from './tool.js';

export const TOOLS: ToolDefinition[] = [
  listLocations,
  getAirQualityHistory,
  getAirQualityForecast,
  findSimilarDays,
  searchSimilar,
  getFeatureVector,
  explainForecast,
  listFeatureGroups,
  getDataStatus,
] as unknown as ToolDefinition[];

/** Tools that write the store, served only when the operator allows it (`airq mcp --allow-add-places`). */
export const WRITE_TOOLS: ToolDefinition[] = [addPlace] as unknown as ToolDefinition[];
