// The place page's monitoring section: its forecasts once observed against the backtest, its inputs' drift, its alerts.
import type { PlaceMonitoring } from './dashboard.js';
import { DEFAULT_WINDOW_DAYS } from '../airquality/monitoring/monitor.js';
import { MIN_JUDGED } from '../airquality/monitoring/predictions.js';
import { describeFeature } from '../airquality/services/explain.js';
import { esc, num } from './html.js';

function forecastsTable(m: PlaceMonitoring): string {
  if (m.forecasts.every((h) => h.status === 'too few')) {
    const n = Math.max(0, ...m.forecasts.map((h) => h.n));
    return `<p>Too few of this place's forecasts have been observed in the window to judge them (${n}; ${MIN_JUDGED} are needed).</p>`;
  }
  const rows = m.forecasts
    .map(
      (h) =>
        `<tr><td>${h.days_ahead}</td><td class="n">${h.n}</td><td class="n">${h.rmse === null ? '–' : num(h.rmse)}</td><td class="n">${h.expected_rmse === null ? '–' : num(h.expected_rmse)}</td><td class="n">${h.coverage80 === null ? '–' : `${num(h.coverage80 * 100, 0)}%`}</td><td>${esc(h.status)}</td></tr>`,
    )
    .join('\n');
  return `<div class="table"><table><caption>Forecasts once observed, against the training backtest (RMSE µg/m³)</caption><thead><tr><th>days ahead</th><th>n</th><th>RMSE</th><th>backtest RMSE</th><th>in 80% interval</th><th>status</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function driftText(m: PlaceMonitoring): string {
  if (!m.drift.present) return '<p>This place has no inputs in the window to judge.</p>';
  if (!m.drift.judged) return '<p>Whether its inputs drifted is not judged yet: no place has two earlier years of these days.</p>';
  if (m.drift.inputs.length === 0) return '<p>Its inputs look like the same days of earlier years.</p>';
  // PSI: how far the window's distribution of an input is from the earlier years' (0: the same).
  const items = m.drift.inputs
    .slice(0, 5)
    .map(
      (f) =>
        `<li>${esc(describeFeature(f.feature))} (<code>${esc(f.feature)}</code>): ${f.level === 'drift' ? '<strong>drifted</strong>' : 'worth watching'}, ` +
        `PSI ${num(f.psi, 2)} where the earlier years differed by up to ${num(f.threshold, 2)}</li>`,
    )
    .join('');
  return `<p>Inputs least like the same days of earlier years (population stability index, PSI):</p><ul>${items}</ul>`;
}

/** What was not judged anywhere, less what the section already said about this place's forecasts. */
function notJudged(m: PlaceMonitoring): string {
  const left = m.not_judged.filter((n) => !(n.startsWith('forecast accuracy') && m.forecasts.every((h) => h.status === 'too few')));
  return left.length ? `<p>Not judged: ${esc(left.join('; '))}.</p>` : '';
}

export function monitoringSection(m: PlaceMonitoring | string): string {
  const body =
    typeof m !== 'string'
      ? `<p>The ${m.window.days} days ${esc(m.window.start)} to ${esc(m.window.end)}.</p>
${m.alerts.length ? `<ul class="alerts" role="alert">${m.alerts.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>` : '<p>No alert for this place.</p>'}
${forecastsTable(m)}
${driftText(m)}
${notJudged(m)}`
      : `<p>Nothing could be judged over the last ${DEFAULT_WINDOW_DAYS} days: ${esc(m)}</p>`;
  return `<section aria-labelledby="monitoring-title"><h2 id="monitoring-title">Monitoring</h2>
${body}
</section>`;
}
