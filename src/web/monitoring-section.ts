// The place page's monitoring section: its forecasts once observed against the backtest, its inputs' drift, its alerts.
import type { PlaceMonitoring } from './dashboard.js';
import { DEFAULT_WINDOW_DAYS } from '../airquality/monitoring/monitor.js';
import { esc, num } from './html.js';

function forecastsTable(m: PlaceMonitoring): string {
  const rows = m.forecasts
    .map(
      (h) =>
        `<tr><td>${h.days_ahead}</td><td class="n">${h.n}</td><td class="n">${h.rmse === null ? '–' : num(h.rmse)}</td><td class="n">${h.expected_rmse === null ? '–' : num(h.expected_rmse)}</td><td class="n">${h.coverage80 === null ? '–' : `${num(h.coverage80 * 100, 0)}%`}</td><td>${esc(h.status)}</td></tr>`,
    )
    .join('\n');
  return rows
    ? `<div class="table"><table><caption>Forecasts once observed, against the training backtest (RMSE µg/m³)</caption><thead><tr><th>days ahead</th><th>n</th><th>RMSE</th><th>backtest RMSE</th><th>in 80% interval</th><th>status</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : '<p>No forecast for this place has been observed in the window yet.</p>';
}

function driftText(m: PlaceMonitoring): string {
  if (!m.drift.judged) return '<p>Input drift is not judged yet: no place has two earlier years of these days.</p>';
  if (m.drift.inputs.length === 0) return '<p>Its inputs look like the same days of earlier years.</p>';
  const items = m.drift.inputs
    .slice(0, 5)
    .map((f) => `<li><code>${esc(f.feature)}</code>: PSI ${num(f.psi, 2)} (${f.level === 'drift' ? 'drift' : 'watch'} past ${num(f.threshold, 2)})</li>`)
    .join('');
  return `<p>Inputs unlike the same days of earlier years (population stability index):</p><ul>${items}</ul>`;
}

export function monitoringSection(m: PlaceMonitoring | null): string {
  const body = m
    ? `<p>The ${m.window.days} days ${esc(m.window.start)} to ${esc(m.window.end)}.</p>
${m.alerts.length ? `<ul class="alerts" role="alert">${m.alerts.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>` : '<p>No alert for this place.</p>'}
${forecastsTable(m)}
${driftText(m)}
${m.not_judged.length ? `<p>Not judged: ${esc(m.not_judged.join('; '))}.</p>` : ''}`
    : `<p>Not judged: the last ${DEFAULT_WINDOW_DAYS} days hold too few observed days.</p>`;
  return `<section aria-labelledby="monitoring-title"><h2 id="monitoring-title">Monitoring</h2>
${body}
</section>`;
}
