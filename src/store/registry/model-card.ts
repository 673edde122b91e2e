// The model card: a markdown page generated from a model's metadata and lineage.
import type { ModelMeta } from './schema.js';

export function modelCard(m: ModelMeta, lineage: string[]): string {
  const metrics = Object.entries(m.metrics);
  const lines = [
    `# ${m.name} v${m.version}`,
    '',
    m.description || '(no description)',
    '',
    `- Registered: ${m.createdAt}`,
    `- Feature view: ${m.featureView.name} v${m.featureView.version}, training dataset version ${m.trainingDatasetVersion}`,
    '',
    '## Metrics',
    '',
    ...(metrics.length ? ['| metric | value |', '| --- | --- |', ...metrics.map(([k, v]) => `| ${k} | ${v} |`)] : ['(none recorded)']),
    '',
    '## Features (in training order)',
    '',
    m.features.length ? m.features.map((f) => `\`${f}\``).join(', ') : '(none)',
    '',
    '## Lineage',
    '',
    ...lineage.map((l) => `- ${l}`),
    '',
    '## Artifacts',
    '',
    ...m.files.map((f) => `- ${f}${m.images.includes(f) ? ' (evaluation image)' : ''}`),
    '',
  ];
  return lines.join('\n');
}
