// The data dictionary as markdown, generated from the feature-group definitions (the README embeds it).
import { AIR_QUALITY_GROUPS } from './feature-groups.js';
import { FORECAST_GROUPS } from './forecast/groups.js';
import { PIPELINE_RUNS } from './pipelines/pipeline-runs.js';

/** Every group airq defines: the data, forecasting's targets and predictions, and the record of pipeline runs. */
export const DOCUMENTED_GROUPS = [...AIR_QUALITY_GROUPS, ...FORECAST_GROUPS, PIPELINE_RUNS];

export function dataDictionaryMarkdown(): string {
  const parts: string[] = [];
  for (const g of DOCUMENTED_GROUPS) {
    const keys = [...(Array.isArray(g.primaryKey) ? g.primaryKey : [g.primaryKey]), ...(g.eventTime ? [`${g.eventTime} (event time)`] : [])];
    parts.push(`### \`${g.name}\` v${g.version} — ${g.description}`, '', `Key: ${keys.join(', ')}.`, '', '| column | type | meaning |', '| --- | --- | --- |');
    for (const f of g.schema ?? []) parts.push(`| \`${f.name}\` | ${f.type} | ${f.description ?? ''} |`);
    parts.push('');
  }
  return parts.join('\n');
}
