// The pages' shared HTML: the layout with its navigation, number and date formatting, the AQI category and data-kind badges.
import { AQI_BANDS } from '../airquality/charts/charts.js';
import { esc } from '../airquality/charts/svg.js';

export { esc };

export const num = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '–' : v.toFixed(digits));

/** A UTC timestamp as "YYYY-MM-DD HH:MM UTC", or a dash. */
export const utc = (iso: string | null | undefined) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '–');

const COLOURS = new Map<string, string>(AQI_BANDS.map((b) => [b.label.toLowerCase(), b.color]));

/** A category as text with a swatch: the colour helps, the words carry the meaning. */
export function category(name: string | null): string {
  if (!name) return '<span class="cat">no data</span>';
  const colour = COLOURS.get(name.toLowerCase()) ?? '#ccc';
  return `<span class="cat"><span class="swatch" style="background:${colour}" aria-hidden="true"></span>${esc(name)}</span>`;
}

const KIND_TEXT: Record<string, string> = {
  observation: 'observed (measured)',
  model: 'CAMS model values, not measurements',
  replayed: 'replayed (UCI Beijing, 2013–2017)',
  synthetic: 'synthetic (a simulation, not measurements)',
};
export const kindBadge = (kind: string) => `<span class="badge badge-${esc(kind)}">${esc(KIND_TEXT[kind] ?? kind)}</span>`;

export type Section = 'overview' | 'status' | 'location';

function nav(current: Section): string {
  const link = (href: string, text: string, here: boolean) => `<a href="${href}"${here ? ' aria-current="page"' : ''}>${text}</a>`;
  return `<nav class="site" aria-label="site">${link('/', 'Places', current === 'overview')} ${link('/status', 'Data status', current === 'status')} ${link('/api', 'API', false)}</nav>`;
}

export function layout(title: string, body: string, today: string | undefined, current: Section = 'location'): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · airq</title>
<link rel="stylesheet" href="/static/style.css">
<link rel="stylesheet" href="/static/phone.css" media="(max-width: 640px)">
<script src="/static/app.js" defer></script>
</head>
<body>
<header><a class="brand" href="/">airq</a> ${nav(current)} ${today ? `<span class="today">today is ${esc(today)}</span>` : ''}</header>
<main>
${body}
</main>
<footer>PM2.5 in µg/m³ (daily means); categories are the US EPA AQI. Data: <a href="/api">JSON endpoints</a>, <a href="/status">data status</a>.</footer>
</body>
</html>
`;
}
