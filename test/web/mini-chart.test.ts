// The small charts: the overview's sparkline and the phone's forecast and hindcast charts, their labels, scale and escaping.
import { describe, expect, it } from 'vitest';
import { smallForecastSvg, smallHindcastSvg, sparklineSvg } from '../../src/web/mini-chart.js';

const DAYS = [
  { date: '2024-07-01', pm25: 12.5, lower: 8, upper: 20 },
  { date: '2024-07-02', pm25: 31.25, lower: 20, upper: 55 },
  { date: '2024-07-03', pm25: 18, lower: 10, upper: 30 },
];

const texts = (svg: string) => [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('sparklineSvg', () => {
  it('labels the first and last date and the highest mean, and says the series in words', () => {
    const svg = sparklineSvg('Hornsgatan', DAYS, 'spark-hornsgatan');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 220 96" /);
    expect(svg).not.toMatch(/ width="\d+" height="\d+" font-family/); // scales with its box
    expect(texts(svg)).toEqual(['max 31.3 µg/m³ (07-02)', '2024-07-01', '2024-07-03']);
    expect(svg).toContain(
      'aria-label="PM2.5 forecast for Hornsgatan, 2024-07-01 to 2024-07-03: mean 12.5 to 31.3 µg/m³ (highest on 2024-07-02), 80% interval up to 55.0 µg/m³"',
    );
    expect(svg.match(/<path /g)).toHaveLength(2); // the band and the mean line
  });

  it('escapes the place’s name and id, and draws nothing without days', () => {
    const svg = sparklineSvg('<Kungsholmen & "Söder">', DAYS, 'spark-"x"');
    expect(svg).toContain('forecast for &lt;Kungsholmen &amp; &quot;Söder&quot;&gt;');
    expect(svg).toContain('id="spark-&quot;x&quot;"');
    expect(svg).not.toContain('<Kungsholmen');
    expect(sparklineSvg('x', [], 'spark-x')).toBe('');
  });
});

describe('the phone charts', () => {
  it('the forecast chart labels every day in 12-unit type in a 360-unit viewBox', () => {
    const svg = smallForecastSvg(DAYS, 'forecast-chart-small', 'the forecast');
    expect(svg).toMatch(/viewBox="0 0 360 250"/);
    expect(texts(svg)).toEqual(expect.arrayContaining(['07-01', '07-02', '07-03', 'µg/m³', 'mean', '80% interval']));
    expect(new Set([...svg.matchAll(/font-size="(\d+)"/g)].map((m) => m[1]))).toEqual(new Set(['12']));
  });

  it('the hindcast chart labels its first, middle and last date; unobserved days break the observed line', () => {
    const points = ['2024-06-01', '2024-06-02', '2024-06-03', '2024-06-04', '2024-06-05'].map((date, i) => ({
      date,
      predicted: 10 + i,
      observed: i === 2 ? null : 12 + i,
    }));
    const svg = smallHindcastSvg(points, 'hindcast-chart-small', 'hindcast');
    expect(texts(svg)).toEqual(expect.arrayContaining(['2024-06-01', '2024-06-03', '2024-06-05', 'observed', 'predicted']));
    const observed = /<path d="([^"]+)" fill="none" stroke="#222222"/.exec(svg)![1]!;
    expect(observed.match(/M/g)).toHaveLength(2);
    expect(smallHindcastSvg(points.slice(0, 1), 'h', 'h')).toBe('');
  });
});
