// The forecasting charts: 7-day forecast with its interval and AQI bands, hindcast, feature importance, predicted vs actual.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isoDateToEpochDays } from '../../core/dates.js';
import { svgToPng } from './png.js';
import { backgroundBands, band, esc, frame, legend, line, points, svgDocument, type Frame } from './svg.js';

/** US EPA 2024 PM2.5 categories, in µg/m³ (24-hour mean), with EPA's colours. */
export const AQI_BANDS = [
  { from: 0, to: 9, color: '#00e400', label: 'Good' },
  { from: 9, to: 35.4, color: '#ffff00', label: 'Moderate' },
  { from: 35.4, to: 55.4, color: '#ff7e00', label: 'Unhealthy for sensitive groups' },
  { from: 55.4, to: 125.4, color: '#ff0000', label: 'Unhealthy' },
  { from: 125.4, to: 225.4, color: '#8f3f97', label: 'Very unhealthy' },
  { from: 225.4, to: 1000, color: '#7e0023', label: 'Hazardous' },
] as const;

const dayTicks = (dates: readonly string[], every = 1) => dates.filter((_, i) => i % every === 0).map((d) => ({ at: isoDateToEpochDays(d), text: d.slice(5) }));

export interface ForecastPoint {
  date: string;
  pm25: number;
  lower: number;
  upper: number;
}

export function forecastChart(location: string, issueDate: string, points_: readonly ForecastPoint[], perfect: boolean): string {
  const xs = points_.map((p) => isoDateToEpochDays(p.date));
  const yMax = Math.max(40, ...points_.map((p) => p.upper)) * 1.1;
  const f = frame({
    title: `PM2.5 forecast for ${location}, issued ${issueDate}`,
    subtitle: perfect
      ? 'replay: the weather inputs are the weather later recorded (a perfect forecast)'
      : 'weather inputs: the weather forecast of the issue date',
    xLabel: 'date',
    yLabel: 'PM2.5, µg/m³ (daily mean)',
    xDomain: [Math.min(...xs) - 0.5, Math.max(...xs) + 0.5],
    yDomain: [0, yMax],
    xTicks: dayTicks(points_.map((p) => p.date)),
  });
  backgroundBands(f, AQI_BANDS, yMax);
  band(
    f,
    xs,
    points_.map((p) => p.lower),
    points_.map((p) => p.upper),
    '#3b6fb6',
  );
  line(
    f,
    xs,
    points_.map((p) => p.pm25),
    '#1f3f7a',
    2.5,
  );
  legend(f, [
    { label: 'forecast (mean)', color: '#1f3f7a' },
    { label: '80% interval', color: '#9db5dc' },
  ]);
  return svgDocument(f);
}

export interface HindcastPoint {
  date: string;
  predicted: number;
  observed: number | null;
}

export function hindcastChart(location: string, daysAhead: number, rows: readonly HindcastPoint[]): string {
  const xs = rows.map((r) => isoDateToEpochDays(r.date));
  const yMax = Math.max(40, ...rows.map((r) => Math.max(r.predicted, r.observed ?? 0))) * 1.05;
  const f = frame({
    title: `Hindcast for ${location}: ${daysAhead}-day-ahead forecasts vs observations`,
    xLabel: 'date',
    yLabel: 'PM2.5, µg/m³ (daily mean)',
    xDomain: [Math.min(...xs) - 0.5, Math.max(...xs) + 0.5],
    yDomain: [0, yMax],
    xTicks: dayTicks(
      rows.map((r) => r.date),
      Math.max(1, Math.ceil(rows.length / 8)),
    ),
  });
  backgroundBands(f, AQI_BANDS, yMax);
  line(
    f,
    xs,
    rows.map((r) => r.observed),
    '#222222',
    2,
  );
  line(
    f,
    xs,
    rows.map((r) => r.predicted),
    '#d0452b',
    2,
    '6 4',
  );
  legend(f, [
    { label: 'observed', color: '#222222' },
    { label: 'predicted', color: '#d0452b' },
  ]);
  return svgDocument(f);
}

export function importanceChart(items: readonly { feature: string; gain: number }[]): string {
  const top = items.slice(0, 15);
  const total = items.reduce((a, b) => a + b.gain, 0) || 1;
  const shares = top.map((t) => (100 * t.gain) / total);
  const f: Frame = frame({
    title: 'Feature importance (share of total split gain)',
    xLabel: '% of gain',
    yLabel: '',
    xDomain: [0, Math.max(...shares, 1) * 1.1],
    yDomain: [0, top.length],
    hideYTicks: true,
  });
  top.forEach((t, i) => {
    const y0 = f.y(top.length - i);
    const y1 = f.y(top.length - i - 1);
    const x0 = f.x(0);
    f.parts.push(`<rect x="${x0}" y="${y0 + 3}" width="${Math.max(0, f.x(shares[i]!) - x0)}" height="${Math.max(1, y1 - y0 - 6)}" fill="#3b6fb6"/>`);
    f.parts.push(`<text x="${x0 + 6}" y="${(y0 + y1) / 2 + 4}" font-size="12" fill="#111">${esc(t.feature)}</text>`);
  });
  return svgDocument(f);
}

export function predictedVsActualChart(actual: readonly number[], predicted: readonly number[], title: string): string {
  const max = Math.max(10, ...actual, ...predicted) * 1.05;
  const f = frame({ title, xLabel: 'observed PM2.5, µg/m³', yLabel: 'predicted PM2.5, µg/m³', xDomain: [0, max], yDomain: [0, max] });
  points(f, actual, predicted, '#3b6fb6', 2);
  line(f, [0, max], [0, max], '#d0452b', 1.5, '5 4');
  return svgDocument(f);
}

/** Writes `name`.svg and `name`.png into `dir`; returns the file names. */
export function writeChart(dir: string, name: string, svg: string): string[] {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.svg`), svg);
  writeFileSync(join(dir, `${name}.png`), svgToPng(svg));
  return [`${name}.svg`, `${name}.png`];
}
