// Tool errors in an answer: said in words an end user can act on, without commands, tool names or ids.
import { describe, expect, it } from 'vitest';
import { forUsers } from '../../src/agent/planner/answer.js';
import { BEIJING_CONTEXT } from './beijing-places.js';

describe('forUsers', () => {
  it.each([
    [
      'no location matches "Atlantis"; closest: beijing-dongsi (Dongsi), beijing-tiantan (Tiantan). Call list_locations for every location with data.',
      'No location matches "Atlantis"; closest: Dongsi (Dongsi), Tiantan (Tiantan).',
    ],
    [
      'no forecast for beijing-dongsi issued by 2017-02-21 covers 2017-03-01 to 2017-03-02; run `airq forecast` to make one',
      'No forecast for Dongsi issued by 2017-02-21 covers 2017-03-01 to 2017-03-02.',
    ],
    [
      'forecasts cover the 7 days after today (2017-02-21): 2017-02-22 to 2017-02-28; for earlier days call get_air_quality_history',
      'Forecasts cover the 7 days after today (2017-02-21): 2017-02-22 to 2017-02-28.',
    ],
    ['there is no airq store in /tmp/x; create one first (e.g. `airq demo`)', 'There is no airq store in /tmp/x; create one first.'],
    ['Invalid arguments for get_air_quality_forecast: start_date must be a date', 'Invalid arguments for that request: start_date must be a date.'],
    ['', 'Something went wrong on the server.'],
  ])('%s', (error, said) => {
    expect(forUsers(error, BEIJING_CONTEXT)).toBe(said);
  });
});
