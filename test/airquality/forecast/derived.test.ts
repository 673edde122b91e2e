// The forecaster's derived inputs: the weather's day-to-day changes, null where a day is missing, read by name.
import { describe, expect, it } from 'vitest';
import { inputNames, inputOf, TENDENCIES } from '../../../src/airquality/forecast/derived.js';
import { toMatrix } from '../../../src/airquality/forecast/model.js';

const row = {
  days_ahead: 2,
  pressure_mean: 1030.5,
  prev_pressure_mean: 1021.25,
  prev2_pressure_mean: 1018,
  dew_point_mean: -12,
  prev_dew_point_mean: 3.5,
  prev2_dew_point_mean: null,
  temperature_mean: 4,
  prev_temperature_mean: 9,
};

describe('derived inputs', () => {
  it('are the change into the target day and into the day before', () => {
    expect(inputOf(row, 'change_pressure_mean')).toBe(9.25); // a front: pressure up 9 hPa
    expect(inputOf(row, 'prev_change_pressure_mean')).toBe(3.25);
    expect(inputOf(row, 'change_dew_point_mean')).toBe(-15.5); // and the air dried out
    expect(inputOf(row, 'change_temperature_mean')).toBe(-5);
  });

  it('are null when either day is missing, and a view column reads as itself', () => {
    expect(inputOf(row, 'prev_change_dew_point_mean')).toBeNull();
    expect(inputOf(row, 'prev_change_temperature_mean')).toBeNull(); // no prev2_ temperature at all
    expect(inputOf(row, 'pressure_mean')).toBe(1030.5);
  });

  it('follow the view columns in the names a model reads, and reach its matrix (missing as NaN)', () => {
    const names = inputNames(row);
    expect(names.slice(0, Object.keys(row).length)).toEqual(Object.keys(row));
    expect(names.slice(Object.keys(row).length)).toEqual(TENDENCIES.map((t) => t.name));
    const m = toMatrix([row], names);
    expect(m.data[names.indexOf('change_pressure_mean')]).toBe(9.25);
    expect(m.data[names.indexOf('prev_change_dew_point_mean')]).toBeNaN();
  });
});
