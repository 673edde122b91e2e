// Every MCP tool airq serves (one file each); src/mcp registers this list.
import explainForecast from './explain-forecast.tool.js';
import findSimilarDays from './find-similar-days.tool.js';
import getAirQualityForecast from './get-air-quality-forecast.tool.js';
import getAirQualityHistory from './get-air-quality-history.tool.js';
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
] as unknown as ToolDefinition[];
