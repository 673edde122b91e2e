// Server-rendered HTML: the overview of every location, a page per location, the chat box, and error pages.
import { forecastSparkline, forecastSvg, forecastSvgSmall, hindcastSvg } from './charts.js';
import type { LocationPage, LocationSummary, ModelInfo } from './dashboard.js';
import { category, esc, kindBadge, layout, num } from './html.js';
import { monitoringSection } from './monitoring-section.js';

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

/** How fresh a card's data is: the last observation, and what is stale in words. */
function freshness(r: LocationSummary): string {
  const asOf = r.data_as_of
    ? `<p class="as-of">data as of <time datetime="${esc(r.data_as_of)}">${esc(r.data_as_of)}</time></p>`
    : '<p class="as-of">no observations yet</p>';
  if (r.stale.length === 0) return asOf;
  return `${asOf}\n<p class="stale"><strong>Stale:</strong> ${esc(r.stale.join('; '))}.</p>`;
}

function card(r: LocationSummary): string {
  const id = r.location.location_id;
  const spark = forecastSparkline(r.location.name, id, r.next_days);
  return `<li class="card"><div class="card-text"><h2><a href="/locations/${encodeURIComponent(id)}">${esc(r.location.name)}</a></h2>
<p class="where">${esc([r.location.city, r.location.country].filter(Boolean).join(', '))} ${kindBadge(r.data_kind)}</p>
${freshness(r)}
<dl>
<dt>Forecast ${r.tomorrow ? esc(r.tomorrow.date) : ''}</dt><dd>${r.tomorrow ? `${num(r.tomorrow.pm25)} µg/m³ ${category(r.tomorrow.category)}` : 'no forecast'}</dd>
<dt>Latest observed ${r.latest ? esc(r.latest.date) : ''}</dt><dd>${r.latest ? `${num(r.latest.pm25)} µg/m³ ${category(r.latest.category)}` : 'no recent data'}</dd>
</dl></div>
${spark ? `<figure class="spark-box">${spark}<figcaption>next ${r.next_days.length} days: mean and 80% interval</figcaption></figure>` : '<p class="spark-box none">no forecast to chart</p>'}</li>`;
}

export function overviewPage(rows: LocationSummary[], model: ModelInfo | null, today: string): string {
  const body = `<h1>Air quality, the next 7 days</h1>
${modelLine(model)}
${rows.length === 0 ? '<p>This store has no locations yet: run <code>airq demo</code>.</p>' : `<ul class="cards" id="locations">\n${rows.map(card).join('\n')}\n</ul>`}
${chatBox()}`;
  return layout('Overview', body, today, 'overview');
}

/** The advice in a few words, shown under the category where the full sentence does not fit (a phone). */
const SHORT_ADVICE: Record<string, string> = {
  good: 'fine for everyone outdoors',
  moderate: 'very sensitive people: take it easier outdoors',
  'unhealthy for sensitive groups': 'sensitive groups: less long or hard exertion',
  unhealthy: 'everyone: less exertion; sensitive groups: avoid it',
  'very unhealthy': 'everyone: avoid exertion; sensitive groups: stay in',
  hazardous: 'everyone: avoid all outdoor activity',
};

function forecastRow(d: NonNullable<LocationPage['forecast']>['days'][number]): string {
  const short = d.category ? SHORT_ADVICE[d.category.toLowerCase()] : undefined;
  return (
    `<tr><td class="date">${esc(d.date)}</td><td class="ahead">${d.days_ahead}</td><td class="n pm">${num(d.pm25)}</td>` +
    `<td class="n iv">${num(d.pm25_lower)}–${num(d.pm25_upper)}</td>` +
    `<td class="cat-cell">${category(d.category)}${short ? `<span class="short">${esc(short)}</span>` : ''}</td><td class="advice">${esc(d.advice ?? '')}</td></tr>`
  );
}

function forecastSection(p: LocationPage): string {
  if (!p.forecast || p.forecast.days.length === 0) {
    return `<section><h2>Forecast</h2><p class="error" role="alert">${esc(p.forecast_error ?? 'No forecast for the days after today.')}</p></section>`;
  }
  const days = p.forecast.days;
  const source = days[0]!.perfect_forecast
    ? 'Its weather inputs are the weather recorded later, replayed as a perfect forecast.'
    : 'Its weather inputs are the weather forecast of the issue date.';
  return `<section aria-labelledby="forecast-title"><h2 id="forecast-title">Forecast (issued ${esc(days[0]!.issue_date)} by ${esc(days[0]!.model)})</h2>
<figure>${forecastSvg(p.forecast)}${forecastSvgSmall(p.forecast)}<figcaption>Mean forecast (line) and 80% prediction interval (band) over the AQI categories. ${source}</figcaption></figure>
<div class="table"><table class="forecast"><caption>Forecast, PM2.5 µg/m³</caption><thead><tr><th>date</th><th>days ahead</th><th>PM2.5</th><th>80% interval</th><th>category</th><th>advice</th></tr></thead>
<tbody>${days.map(forecastRow).join('\n')}</tbody></table></div></section>`;
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
${days.length ? `<div class="table"><table class="recent"><caption>Daily means, µg/m³, newest first</caption><thead><tr><th>date</th><th>PM2.5</th><th>PM10</th><th>NO2</th><th>category</th><th>data</th></tr></thead><tbody>${rows}</tbody></table></div>` : ''}
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
${backtest ? `<div class="table"><table><caption>Training backtest of ${esc(p.model!.name)} v${p.model!.version}, all locations (µg/m³), ${p.model!.backtest_weather === 'forecast' ? 'reading weather forecasts with their usual errors, as a served forecast does' : 'reading the recorded weather (a perfect weather forecast: real forecasts do worse)'}</caption><thead><tr><th>days ahead</th><th>RMSE</th><th>in 80% interval</th><th>persistence RMSE</th></tr></thead><tbody>${backtest}</tbody></table></div>` : ''}
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
${monitoringSection(p.monitoring)}
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
