// The tools the planner calls and the argument names it passes, in one table; a test holds it against the server's tools/list, so a rename fails loudly.
export const TOOL = {
  forecast: 'get_air_quality_forecast',
  history: 'get_air_quality_history',
  similar: 'find_similar_days',
  explain: 'explain_forecast',
  search: 'search_similar',
  vector: 'get_feature_vector',
  locations: 'list_locations',
  groups: 'list_feature_groups',
  status: 'get_data_status',
} as const;
export type ToolKey = keyof typeof TOOL;

/** Per tool, the arguments the planner may pass. */
export const TOOL_ARGS: Record<ToolKey, readonly string[]> = {
  forecast: ['location', 'start_date', 'end_date'],
  history: ['location', 'start_date', 'end_date'],
  similar: ['location', 'date', 'k', 'all_locations'],
  explain: ['location', 'date'],
  search: ['feature_group', 'query', 'k'],
  vector: ['feature_view', 'entity'],
  locations: [],
  groups: [],
  status: [],
};

/** The table key of a tool name, or undefined for a tool the planner does not call. */
export const toolKeyOf = (name: string): ToolKey | undefined => (Object.keys(TOOL) as ToolKey[]).find((k) => TOOL[k] === name);
