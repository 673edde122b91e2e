// Small inline SVG charts drawn at the size they are shown (fonts in viewBox units stay legible): the overview's sparkline and the phone's forecast and hindcast charts.
import { isoDateToEpochDays } from '../core/dates.js';
import { AQI_BANDS } from '../airquality/charts/charts.js';
import { band, esc, line, niceTicks, type Frame } from '../airquality/charts/svg.js';

export interface SeriesPoint {
  date: string;
  pm25: number;
  lower: number;
  upper: number;
}

interface Box {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const MEAN = '#1f3f7a';
const BAND = '#3b6fb6';

/** A frame of the given box over days (x, ±0.5 day) and PM2.5 from 0 to yMax, with faint AQI colour bands behind. */
function miniFrame(box: Box, dates: readonly string[], yMax: number): Frame {
  const x0 = isoDateToEpochDays(dates[0]!) - 0.5;
  const x1 = isoDateToEpochDays(dates.at(-1)!) + 0.5;
  const pw = box.width - box.left - box.right;
  const ph = box.height - box.top - box.bottom;
  const x = (v: number) => box.left + ((v - x0) / (x1 - x0)) * pw;
  const y = (v: number) => box.top + ph - (Math.min(v, yMax) / yMax) * ph;
  const parts = [`<rect width="${box.width}" height="${box.height}" fill="#ffffff"/>`];
  for (const b of AQI_BANDS) {
    if (b.from >= yMax) continue;
    const top = y(Math.min(b.to, yMax));
    parts.push(`<rect x="${box.left}" y="${r1(top)}" width="${pw}" height="${r1(y(b.from) - top)}" fill="${b.color}" opacity="0.18"/>`);
  }
  return { x, y, parts };
}

/** The band and mean line of a forecast series. */
function drawSeries(f: Frame, days: readonly SeriesPoint[], meanWidth: number): number[] {
  const xs = days.map((d) => isoDateToEpochDays(d.date));
  const [lower, upper, mean] = [days.map((d) => d.lower), days.map((d) => d.upper), days.map((d) => d.pm25)];
  band(f, xs, lower, upper, BAND);
  line(f, xs, mean, MEAN, meanWidth);
  return xs;
}

function svg(box: Box, f: Frame, attrs: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${box.width} ${box.height}" font-family="DejaVu Sans, Arial, sans-serif" ${attrs}>\n${f.parts.join('\n')}\n</svg>`;
}

const text = (x: number, y: number, anchor: 'start' | 'middle' | 'end', size: number, body: string, extra = '') =>
  `<text x="${r1(x)}" y="${r1(y)}" text-anchor="${anchor}" font-size="${size}"${extra}>${esc(body)}</text>`;

const SPARK: Box = { width: 220, height: 96, left: 4, right: 4, top: 18, bottom: 18 };

/** A sparkline of the next days' mean forecast with its 80% band, labelled with the first and last date and the maximum mean. */
export function sparklineSvg(name: string, days: readonly SeriesPoint[], id: string): string {
  if (days.length === 0) return '';
  const yMax = Math.max(10, ...days.map((d) => d.upper)) * 1.05;
  const dates = days.map((d) => d.date);
  const f = miniFrame(SPARK, dates, yMax);
  const xs = drawSeries(f, days, 2);
  const peak = days.reduce((a, d, i) => (d.pm25 > days[a]!.pm25 ? i : a), 0);
  const top = days[peak]!;
  f.parts.push(`<circle cx="${r1(f.x(xs[peak]!))}" cy="${r1(f.y(top.pm25))}" r="3" fill="${MEAN}"/>`);
  const first = dates[0]!;
  const last = dates.at(-1)!;
  f.parts.push(text(SPARK.left, 13, 'start', 12, `max ${top.pm25.toFixed(1)} µg/m³ (${top.date.slice(5)})`, ' class="max"'));
  f.parts.push(text(SPARK.left, SPARK.height - 4, 'start', 12, first, ' class="first"'));
  f.parts.push(text(SPARK.width - SPARK.right, SPARK.height - 4, 'end', 12, last, ' class="last"'));
  const label =
    `PM2.5 forecast for ${name}, ${first} to ${last}: mean ${Math.min(...days.map((d) => d.pm25)).toFixed(1)} to ${top.pm25.toFixed(1)} µg/m³ ` +
    `(highest on ${top.date}), 80% interval up to ${Math.max(...days.map((d) => d.upper)).toFixed(1)} µg/m³`;
  return svg(SPARK, f, `class="spark" id="${esc(id)}" role="img" aria-label="${esc(label)}"`);
}

const SMALL: Box = { width: 360, height: 250, left: 36, right: 8, top: 30, bottom: 24 };

/** A small chart's y grid with its labels, its x axis, and the unit. */
function smallAxes(f: Frame, yMax: number): void {
  for (const t of niceTicks(0, yMax, 4).filter((v) => v <= yMax)) {
    f.parts.push(`<line x1="${SMALL.left}" x2="${SMALL.width - SMALL.right}" y1="${r1(f.y(t))}" y2="${r1(f.y(t))}" stroke="#d8d8d8"/>`);
    f.parts.push(text(SMALL.left - 4, f.y(t) + 4, 'end', 12, String(t)));
  }
  const bottom = SMALL.height - SMALL.bottom;
  f.parts.push(`<line x1="${SMALL.left}" x2="${SMALL.width - SMALL.right}" y1="${bottom}" y2="${bottom}" stroke="#444"/>`);
  f.parts.push(text(4, 14, 'start', 12, 'µg/m³'));
}

/** Legend entries across the top, after the unit: a line (or, with `area`, a band) and its words. */
function smallLegend(f: Frame, items: readonly { label: string; color: string; area?: boolean; dash?: boolean }[]): void {
  let x = 80;
  for (const it of items) {
    if (it.area) f.parts.push(`<rect x="${x}" y="3" width="14" height="10" fill="${it.color}" opacity="0.3"/>`);
    else f.parts.push(`<line x1="${x}" x2="${x + 16}" y1="8" y2="8" stroke="${it.color}" stroke-width="2.5"${it.dash ? ' stroke-dasharray="4 3"' : ''}/>`);
    f.parts.push(text(x + 20, 13, 'start', 12, it.label));
    x += 30 + it.label.length * 7;
  }
}

/** The 7-day forecast drawn for a phone's width: 12-unit type in a 360-unit viewBox reads at ~12 px on a 390-px screen. */
export function smallForecastSvg(days: readonly SeriesPoint[], id: string, label: string): string {
  if (days.length === 0) return '';
  const yMax = Math.max(40, ...days.map((d) => d.upper)) * 1.1;
  const dates = days.map((d) => d.date);
  const f = miniFrame(SMALL, dates, yMax);
  smallAxes(f, yMax);
  const xs = drawSeries(f, days, 2.5);
  dates.forEach((d, i) => f.parts.push(text(f.x(xs[i]!), SMALL.height - 7, 'middle', 12, d.slice(5))));
  smallLegend(f, [
    { label: 'mean', color: MEAN },
    { label: '80% interval', color: BAND, area: true },
  ]);
  return svg(SMALL, f, `class="chart chart-small" id="${esc(id)}" role="img" aria-label="${esc(label)}"`);
}

/** 1-day-ahead forecasts against observations, drawn for a phone's width: the first, middle and last date label the x axis. */
export function smallHindcastSvg(points: readonly { date: string; predicted: number; observed: number | null }[], id: string, label: string): string {
  if (points.length < 2) return '';
  const yMax = Math.max(40, ...points.map((p) => Math.max(p.predicted, p.observed ?? 0))) * 1.05;
  const dates = points.map((p) => p.date);
  const f = miniFrame(SMALL, dates, yMax);
  smallAxes(f, yMax);
  const xs = points.map((p) => isoDateToEpochDays(p.date));
  const observed = points.map((p) => p.observed);
  const predicted = points.map((p) => p.predicted);
  line(f, xs, observed, '#222222', 2);
  line(f, xs, predicted, '#d0452b', 2, '5 3');
  const ends = [0, Math.floor((points.length - 1) / 2), points.length - 1];
  for (const [k, i] of ends.entries()) f.parts.push(text(f.x(xs[i]!), SMALL.height - 7, (['start', 'middle', 'end'] as const)[k]!, 12, dates[i]!));
  smallLegend(f, [
    { label: 'observed', color: '#222222' },
    { label: 'predicted', color: '#d0452b', dash: true },
  ]);
  return svg(SMALL, f, `class="chart chart-small" id="${esc(id)}" role="img" aria-label="${esc(label)}"`);
}
