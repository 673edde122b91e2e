// Server-rendered HTML: the overview of every location, a page per location, the chat box, and error pages.
import { AQI_BANDS } from '../airquality/charts/charts.js';
import { esc } from '../airquality/charts/svg.js';
import { forecastSvg, hindcastSvg } from './charts.js';
import type { LocationPage, LocationSummary, ModelInfo } from './dashboard.js';

const num = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '–' : v.toFixed(digits));
const COLOURS = new Map<string, string>(AQI_BANDS.map((b) => [b.label.toLowerCase(), b.color]));

/** A category as text with a swatch: the colour helps, the words carry the meaning. */
function category(name: string | null): string {
  if (!name) return '<span class="cat">no data</span>';
  const colour = COLOURS.get(name.toLowerCase()) ?? '#ccc';
  return `<span class="cat"><span class="swatch" style="background:${colour}" aria-hidden="true"></span>${esc(name)}</span>`;
}

const KIND_TEXT: Record<string, string> = {
  observation: 'observed (measured)',
  replayed: 'replayed (UCI Beijing, 2013–2017)',
  synthetic: 'synthetic (a simulation, not measurements)',
};
const kindBadge = (kind: string) => `<span class="badge badge-${esc(kind)}">${esc(KIND_TEXT[kind] ?? kind)}</span>`;

function layout(title: string, body: string, today: string | undefined): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · airq</title>
<link rel="stylesheet" href="/static/style.css">
<script src="/static/app.js" defer></script>
</head>
<body>
<header><a class="brand" href="/">airq</a> ${today ? `<span class="today">today is ${esc(today)}</span>` : ''}</header>
<main>
${body}
</main>
<footer>PM2.5 in µg/m³ (daily means); categories are the US EPA AQI. Data: <a href="/api">JSON endpoints</a>.</footer>
</body>
</html>
`;
}

function chatBox(location?: string): string {
  const example = location ? `Will the air be OK for a run tomorrow in ${location}?` : 'Will the air be OK for a run tomorrow?';
  return `<section class="chat" aria-labelledby="chat-title">
<h2 id="chat-title">Ask about the air</h2>
<form id="chat-form" action="/api/chat" method="post">
<label for="chat-question">Your question</label>
<div class="row"><input id="chat-question" name="question" maxlength="2000" required placeholder="${esc(example)}" autocomplete="off">
<button type="submit">Ask</button></div>
</form>
<noscript><p>The chat needs JavaScript; <code>airq ask "…"</code> answers the same questions in a terminal.</p></noscript>
<div id="chat-error" class="error" role="alert" hidden></div>
<ol id="chat-log" aria-live="polite"></ol>
</section>`;
}

function modelLine(m: ModelInfo | null): string {
  if (!m) return '<p class="model">No forecaster is trained on this data yet: run <code>airq train</code>.</p>';
  // The model the next forecast comes from; each forecast names the model that made it.
  return `<p class="model">Model in use <strong>${esc(m.name)} v${m.version}</strong>, trained ${esc(m.trained_at.slice(0, 16).replace('T', ' '))} UTC${
    m.validation_rmse === null ? '' : ` (validation RMSE ${num(m.validation_rmse)} µg/m³)`
  }.</p>`;
}

export function overviewPage(rows: LocationSummary[], model: ModelInfo | null, today: string): string {
  const cards = rows
    .map(
      (r) => `<li class="card"><h2><a href="/locations/${encodeURIComponent(r.location.location_id)}">${esc(r.location.name)}</a></h2>
<p class="where">${esc([r.location.city, r.location.country].filter(Boolean).join(', '))} ${kindBadge(r.data_kind)}</p>
<dl>
<dt>Forecast ${r.tomorrow ? esc(r.tomorrow.date) : ''}</dt><dd>${r.tomorrow ? `${num(r.tomorrow.pm25)} µg/m³ ${category(r.tomorrow.category)}` : 'no forecast'}</dd>
<dt>Latest observed ${r.latest ? esc(r.latest.date) : ''}</dt><dd>${r.latest ? `${num(r.latest.pm25)} µg/m³ ${category(r.latest.category)}` : 'no recent data'}</dd>
</dl></li>`,
    )
    .join('\n');
  const body = `<h1>Air quality, the next 7 days</h1>
${modelLine(model)}
${rows.length === 0 ? '<p>This store has no locations yet: run <code>airq demo</code>.</p>' : `<ul class="cards" id="locations">\n${cards}\n</ul>`}
${chatBox()}`;
  return layout('Overview', body, today);
}

function forecastSection(p: LocationPage): string {
  if (!p.forecast || p.forecast.days.length === 0) {
    return `<section><h2>Forecast</h2><p class="error" role="alert">${esc(p.forecast_error ?? 'No forecast for the days after today.')}</p></section>`;
  }
  const days = p.forecast.days;
  const rows = days
    .map(
      (d) =>
        `<tr><td>${esc(d.date)}</td><td>${d.days_ahead}</td><td class="n">${num(d.pm25)}</td><td class="n">${num(d.pm25_lower)}–${num(d.pm25_upper)}</td><td>${category(d.category)}</td><td>${esc(d.advice ?? '')}</td></tr>`,
    )
    .join('\n');
  const source = days[0]!.perfect_forecast
    ? 'Its weather inputs are the weather recorded later, replayed as a perfect forecast.'
    : 'Its weather inputs are the weather forecast of the issue date.';
  return `<section aria-labelledby="forecast-title"><h2 id="forecast-title">Forecast (issued ${esc(days[0]!.issue_date)} by ${esc(days[0]!.model)})</h2>
<figure>${forecastSvg(p.forecast)}<figcaption>Mean forecast (line) and 80% prediction interval (band) over the AQI categories. ${source}</figcaption></figure>
<div class="table"><table><caption>Forecast, PM2.5 µg/m³</caption><thead><tr><th>date</th><th>days ahead</th><th>PM2.5</th><th>80% interval</th><th>category</th><th>advice</th></tr></thead>
<tbody>${rows}</tbody></table></div></section>`;
}

function recentSection(p: LocationPage): string {
  const days = [...p.recent.days].reverse();
  const rows = days
    .map(
      (d) =>
        `<tr><td>${esc(d.date)}</td><td class="n">${num(d.pm25)}</td><td class="n">${num(d.pm10)}</td><td class="n">${num(d.no2)}</td><td>${category(d.category)}</td><td>${esc(d.kind)}</td></tr>`,
    )
    .join('\n');
  return `<section aria-labelledby="recent-title"><h2 id="recent-title">Recent observations</h2>
${p.recent.note ? `<p>${esc(p.recent.note)}</p>` : ''}
${days.length ? `<div class="table"><table><caption>Daily means, µg/m³, newest first</caption><thead><tr><th>date</th><th>PM2.5</th><th>PM10</th><th>NO2</th><th>category</th><th>data</th></tr></thead><tbody>${rows}</tbody></table></div>` : ''}
</section>`;
}

function hindcastSection(p: LocationPage): string {
  const h = p.hindcast;
  const svg = hindcastSvg(p.location.name, h);
  const observed = h.by_days_ahead
    .map(
      (s) =>
        `<tr><td>${s.days_ahead}</td><td class="n">${s.n}</td><td class="n">${num(s.rmse)}</td><td class="n">${num(s.mae)}</td><td class="n">${num(s.bias)}</td><td class="n">${num(s.coverage80 * 100, 0)}%</td></tr>`,
    )
    .join('\n');
  const backtest = (p.model?.backtest ?? [])
    .map(
      (b) =>
        `<tr><td>${b.days_ahead}</td><td class="n">${num(b.rmse)}</td><td class="n">${b.coverage80 === null ? '–' : `${num(b.coverage80 * 100, 0)}%`}</td><td class="n">${num(b.rmse_persistence)}</td></tr>`,
    )
    .join('\n');
  return `<section aria-labelledby="hindcast-title"><h2 id="hindcast-title">Hindcast: predicted vs observed</h2>
${svg ? `<figure>${svg}<figcaption>Observed (solid) and 1-day-ahead forecast (dashed).</figcaption></figure>` : ''}
${
  observed
    ? `<div class="table"><table><caption>Logged forecasts once observed, by days ahead</caption><thead><tr><th>days ahead</th><th>n</th><th>RMSE</th><th>MAE</th><th>bias</th><th>in 80% interval</th></tr></thead><tbody>${observed}</tbody></table></div>`
    : '<p>None of this store’s logged forecasts has been observed yet (run the daily pipeline and forecast on the following days). Until then, the training backtest says how far off forecasts were:</p>'
}
${backtest ? `<div class="table"><table><caption>Training backtest of ${esc(p.model!.name)} v${p.model!.version}, all locations (µg/m³)</caption><thead><tr><th>days ahead</th><th>RMSE</th><th>in 80% interval</th><th>persistence RMSE</th></tr></thead><tbody>${backtest}</tbody></table></div>` : ''}
</section>`;
}

export function locationPageHtml(p: LocationPage): string {
  const l = p.location;
  const body = `<nav><a href="/">← all locations</a></nav>
<h1>${esc(l.name)}</h1>
<p class="where">${esc([l.city, l.country].filter(Boolean).join(', '))} · ${num(l.latitude, 3)}, ${num(l.longitude, 3)} · ${kindBadge(p.data_kind)}</p>
${modelLine(p.model)}
${forecastSection(p)}
${recentSection(p)}
${hindcastSection(p)}
${chatBox(l.name)}`;
  return layout(l.name, body, p.today);
}

export function errorPage(status: number, message: string, today: string | undefined): string {
  return layout(
    status === 404 ? 'Not found' : 'Error',
    `<h1>${status === 404 ? 'Not found' : 'Something went wrong'}</h1><p class="error" role="alert">${esc(message)}</p><p><a href="/">Back to all locations</a></p>`,
    today,
  );
}
