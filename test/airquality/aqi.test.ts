// The EPA AQI: conversions both ways at the breakpoints, the 2012 and 2024 tables, categories.
import { describe, expect, it } from 'vitest';
import { aqiCategory, aqiToConcentration, concentrationToAqi } from '../../src/airquality/features/aqi.js';

describe('AQI -> µg/m³ (aqicn import, 2012 table)', () => {
  it('maps each breakpoint AQI to its breakpoint concentration', () => {
    const cases: [number, number][] = [
      [0, 0],
      [50, 12.0],
      [51, 12.1],
      [100, 35.4],
      [101, 35.5],
      [150, 55.4],
      [151, 55.5],
      [200, 150.4],
      [300, 250.4],
      [500, 500.4],
    ];
    for (const [aqi, c] of cases) expect([aqi, aqiToConcentration(aqi, 'pm25')]).toEqual([aqi, c]);
  });

  it('interpolates inside a segment and rounds to EPA precision', () => {
    // AQI 75 in [51,100] x [12.1,35.4]: 12.1 + 24 * 23.3 / 49 = 23.51... -> 23.5
    expect(aqiToConcentration(75, 'pm25')).toBe(23.5);
    expect(aqiToConcentration(75, 'pm10')).toBe(103); // 55 + 24 * 99 / 49 = 103.49
    expect(aqiToConcentration(25, 'no2')).toBeCloseTo(Math.round(26.5) * 1.88, 1);
    expect(aqiToConcentration(-1, 'pm25')).toBeNull();
    expect(aqiToConcentration(Number.NaN, 'pm25')).toBeNull();
  });

  it('uses the 2024 table when asked', () => {
    expect(aqiToConcentration(50, 'pm25', '2024')).toBe(9.0);
    expect(aqiToConcentration(51, 'pm25', '2024')).toBe(9.1);
  });
});

describe('µg/m³ -> AQI', () => {
  it('truncates to EPA precision and round-trips the breakpoints', () => {
    expect(concentrationToAqi(9.0, 'pm25')).toBe(50);
    expect(concentrationToAqi(9.09, 'pm25')).toBe(50); // truncated to 9.0, not rounded to 9.1
    expect(concentrationToAqi(35.4, 'pm25')).toBe(100);
    expect(concentrationToAqi(35.5, 'pm25')).toBe(101);
    expect(concentrationToAqi(12.0, 'pm25', '2012')).toBe(50);
    for (const aqi of [0, 50, 51, 100, 101, 150, 151, 200, 201, 300, 301, 400, 401, 500]) {
      expect(concentrationToAqi(aqiToConcentration(aqi, 'pm25')!, 'pm25', '2012')).toBe(aqi);
    }
  });
});

describe('categories', () => {
  it('names the EPA category and its advice', () => {
    expect(aqiCategory(50).category).toBe('Good');
    expect(aqiCategory(51).category).toBe('Moderate');
    expect(aqiCategory(101).category).toBe('Unhealthy for Sensitive Groups');
    expect(aqiCategory(201).category).toBe('Very Unhealthy');
    expect(aqiCategory(450)).toMatchObject({ category: 'Hazardous' });
    expect(aqiCategory(120).advice).toMatch(/sensitive|children/i);
  });
});
