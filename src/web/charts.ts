// The page's charts: the forecasting SVGs of src/airquality made responsive and labelled for screen readers, and their small versions.
import { forecastChart, hindcastChart } from '../airquality/charts/charts.js';
import { esc } from '../airquality/charts/svg.js';
import type { ForecastAnswer } from '../airquality/services/forecast-read.js';
import type { Hindcast } from './dashboard.js';
import { smallForecastSvg, smallHindcastSvg, sparklineSvg, type SeriesPoint } from './mini-chart.js';

/** Fixed pixel sizes become a viewBox the page can scale; the description is what a screen reader says instead of the picture. */
function accessible(svg: string, id: string, description: string, cls = 'chart'): string {
  return svg.replace(
    /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+"/,
    `<svg xmlns="http://www.w3.org/2000/svg" class="${cls}" id="${esc(id)}" role="img" aria-label="${esc(description)}"`,
  );
}

const describe = (f: ForecastAnswer) =>
  `PM2.5 forecast for ${f.location.name} with its 80% interval: ${f.days.map((d) => `${d.date}: ${d.pm25.toFixed(1)} µg/m³, ${d.category ?? 'no category'}`).join('; ')}`;

const series = (f: ForecastAnswer): SeriesPoint[] => f.days.map((d) => ({ date: d.date, pm25: d.pm25, lower: d.pm25_lower, upper: d.pm25_upper }));

export function forecastSvg(f: ForecastAnswer): string {
  const days = f.days;
  const first = days[0]!;
  const svg = forecastChart(f.location.name, first.issue_date, series(f), first.perfect_forecast);
  return accessible(svg, 'forecast-chart', describe(f), 'chart chart-wide');
}

/** The same forecast drawn for a phone's width (the page shows one of the two, by the screen's width). */
export function forecastSvgSmall(f: ForecastAnswer): string {
  return smallForecastSvg(series(f), 'forecast-chart-small', describe(f));
}

/** The overview's sparkline of a place's next days. */
export function forecastSparkline(name: string, id: string, days: readonly SeriesPoint[]): string {
  return sparklineSvg(name, days, `spark-${id}`);
}

/** The hindcast chart, wide and small (the page shows one of the two, by the screen's width); null with fewer than two points. */
export function hindcastSvg(name: string, h: Hindcast): string | null {
  if (h.points.length < 2) return null;
  const observed = h.points.filter((p) => p.observed !== null).length;
  const description = `1-day-ahead forecasts for ${name} against observations, ${h.points.length} days from ${h.points[0]!.date} (${observed} observed)`;
  return (
    accessible(hindcastChart(name, 1, h.points), 'hindcast-chart', description, 'chart chart-wide') +
    smallHindcastSvg(h.points, 'hindcast-chart-small', description)
  );
}
