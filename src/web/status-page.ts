// The status page: how fresh the store is per place, the served model, the pipeline runs so far and the next scheduled one.
import type { PlaceOutcome, RunRecordRow } from '../airquality/pipelines/pipeline-runs.js';
import { SOURCE_WORDS } from '../airquality/store-clock.js';
import type { DataStatus, PlaceStatus } from '../airquality/services/status.js';
import { esc, layout, num, utc } from './html.js';

/** A table whose rows stack into labelled blocks on a narrow screen (the labels come from data-label). */
function stackTable(caption: string, headers: readonly string[], rows: readonly string[][], cls: string): string {
  const head = headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = rows.map((cells) => `<tr>${cells.map((c, i) => `<td data-label="${esc(headers[i]!)}">${c}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table"><table class="stack ${cls}"><caption>${esc(caption)}</caption><thead><tr>${head}</tr></thead>\n<tbody>${body}</tbody></table></div>`;
}

/** A date that does not break across lines. */
const day = (d: string | null, none = '–') => (d ? `<time datetime="${esc(d)}">${esc(d)}</time>` : none);

function placeRow(p: PlaceStatus): string[] {
  return [
    `<a href="/locations/${encodeURIComponent(p.id)}">${esc(p.name)}</a> <code>${esc(p.id)}</code>`,
    `${esc(p.data)} <span class="muted">(${esc(p.source)})</span>`,
    day(p.last_observation, 'none yet'),
    p.forecast_issued ? `issued ${day(p.forecast_issued)}, until ${day(p.forecast_until)}` : 'none yet',
    p.stale.length > 0 ? `<span class="stale">${p.stale.map(esc).join('; ')}</span>` : 'up to date',
  ];
}

function placesSection(s: DataStatus): string {
  const table =
    s.places.length === 0
      ? '<p>No places yet: add one with <code>airq places add NAME</code>.</p>'
      : stackTable(
          'Per place: where its values come from and how fresh they are',
          ['place', 'data', 'last observation', 'forecast', 'state'],
          s.places.map(placeRow),
          'places',
        );
  return `<section aria-labelledby="places-title"><h2 id="places-title">Places</h2>\n${table}</section>`;
}

function alertsSection(alerts: readonly string[], notJudged: readonly string[]): string {
  const list = `<ul class="alerts">${alerts.map((a) => `<li class="stale">${esc(a)}</li>`).join('')}</ul>`;
  const unjudged = notJudged.length > 0 ? `<p id="not-judged">Not judged yet: ${notJudged.map(esc).join('; ')}.</p>` : '';
  const body =
    alerts.length > 0
      ? `${list}${unjudged}`
      : notJudged.length > 0
        ? `<p>No alerts, but not everything could be judged.</p>${unjudged}`
        : '<p>No alerts: the last 30 days’ inputs look like the same days of earlier years, and the forecasts once observed are as accurate as the backtest said.</p>';
  return `<section aria-labelledby="alerts-title"><h2 id="alerts-title">Monitoring</h2>\n${body}\n<p class="muted">Details: <code>airq monitor</code>.</p></section>`;
}

function modelSection(m: DataStatus['model']): string {
  if (!m)
    return '<section aria-labelledby="model-title"><h2 id="model-title">Model</h2><p>No served model for these places yet: <code>airq run</code> trains one.</p></section>';
  return `<section aria-labelledby="model-title"><h2 id="model-title">Model</h2>
<dl class="facts" id="model">
<dt>served</dt><dd>${esc(m.name)} v${m.version}</dd>
<dt>trained</dt><dd>${esc(utc(m.trained_at))}</dd>
<dt>trained through</dt><dd>${esc(m.trained_through ?? 'not recorded')}</dd>
<dt>validation RMSE</dt><dd>${m.validation_rmse === null ? '–' : `${num(m.validation_rmse)} µg/m³`}</dd>
<dt>retrain due</dt><dd>${m.retrain_due ? esc(m.retrain_due) : 'no'}</dd>
</dl></section>`;
}

function outcome(o: PlaceOutcome): string {
  const span = o.from && o.to ? (o.from === o.to ? ` (${o.from})` : ` (${o.from} to ${o.to})`) : '';
  const what =
    o.status === 'updated'
      ? `updated, ${o.days} day${o.days === 1 ? '' : 's'}${span}`
      : o.status === 'failed'
        ? `failed: ${o.error ?? 'no reason recorded'}`
        : 'up to date';
  return `<li class="outcome-${esc(o.status)}"><code>${esc(o.id)}</code> ${esc(what)}</li>`;
}

function runRow(r: RunRecordRow): string[] {
  return [
    `<time datetime="${esc(r.started_at)}">${esc(utc(r.started_at))}</time>`,
    esc(r.trigger),
    `<span class="run-${r.status === 'ok' ? 'ok' : 'failed'}">${esc(r.status)}</span>`,
    day(r.today),
    r.places.length > 0 ? `<ul class="outcomes">${r.places.map(outcome).join('')}</ul>` : 'no places',
    r.retrain_reason ? esc(r.retrain_reason) : 'no retrain',
    r.errors.length > 0 ? `<ul class="errors">${r.errors.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>` : 'none',
  ];
}

function runsSection(runs: readonly RunRecordRow[], nextRun: string | null): string {
  const next = nextRun
    ? `<p id="next-run">Next scheduled run: <time datetime="${esc(nextRun)}">${esc(utc(nextRun))}</time> (<code>airq serve</code>’s daily schedule).</p>`
    : '<p id="next-run">No schedule is running: <code>airq serve</code> runs the pipelines daily, or run <code>airq run</code> from cron.</p>';
  const table =
    runs.length === 0
      ? '<p>No <code>airq run</code> is recorded in this store yet.</p>'
      : stackTable(
          `The newest ${runs.length} pipeline run${runs.length === 1 ? '' : 's'}, newest first`,
          ['started', 'trigger', 'status', 'today', 'places', 'retrain', 'errors'],
          runs.map(runRow),
          'runs',
        );
  return `<section aria-labelledby="runs-title"><h2 id="runs-title">Pipeline runs</h2>\n${next}\n${table}</section>`;
}

/** The whole page: `status` from dataStatus(), `runs` from recentRuns() (empty for a store no run has written). */
export function statusPageHtml(s: DataStatus, runs: readonly RunRecordRow[]): string {
  const where = s.source ? SOURCE_WORDS[s.source] : 'no data yet';
  const summary = s.stale
    ? '<p class="stale" id="summary">Some data is stale: <code>airq run</code> brings it up to date.</p>'
    : `<p id="summary">${s.places.length > 0 ? 'Every place is up to date.' : 'Nothing to bring up to date.'}</p>`;
  const body = `<h1>Data status</h1>
<p id="today">Today in this store is <strong>${esc(s.today)}</strong> (${esc(where)}). As JSON: <a href="/api/status">/api/status</a>.</p>
${summary}
${placesSection(s)}
${alertsSection(s.alerts, s.not_judged)}
${modelSection(s.model)}
${runsSection(runs, s.next_run)}`;
  return layout('Data status', body, s.today, 'status');
}
