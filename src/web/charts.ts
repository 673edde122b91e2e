// The page's charts: the forecasting SVGs of src/airquality made responsive and labelled for screen readers.
import { forecastChart, hindcastChart } from '../airquality/charts/charts.js';
import { esc } from '../airquality/charts/svg.js';
import type { ForecastAnswer } from '../airquality/services/forecast-read.js';
import type { Hindcast } from './dashboard.js';

/** Fixed pixel sizes become a viewBox the page can scale; the description is what a screen reader says instead of the picture. */
function accessible(svg: string, id: string, description: string): string {
  return svg.replace(
    /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+"/,
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${esc(id)}" role="img" aria-label="${esc(description)}"`,
  );
}

export function forecastSvg(f: ForecastAnswer): string {
  const days = f.days;
  const first = days[0]!;
  const text = days.map((d) => `${d.date}: ${d.pm25.toFixed(1)} µg/m³, ${d.category ?? 'no category'}`).join('; ');
  const svg = forecastChart(
    f.location.name,
    first.issue_date,
    days.map((d) => ({ date: d.date, pm25: d.pm25, lower: d.pm25_lower, upper: d.pm25_upper })),
    first.perfect_forecast,
  );
  return accessible(svg, 'forecast-chart', `PM2.5 forecast for ${f.location.name} with its 80% interval: ${text}`);
}

export function hindcastSvg(name: string, h: Hindcast): string | null {
  if (h.points.length < 2) return null;
  const observed = h.points.filter((p) => p.observed !== null).length;
  return accessible(
    hindcastChart(name, 1, h.points),
    'hindcast-chart',
    `1-day-ahead forecasts for ${name} against observations, ${h.points.length} days from ${h.points[0]!.date} (${observed} observed)`,
  );
}
