// How a history is cut in time for training: the test days a trained model reports on, and the validation days before them.
//
// The validation days choose the number of trees and the dedicated horizons, measure the bias and calibrate the interval,
// and then the models are fitted again on all the days (Forecaster.refit), so a long validation period costs the served
// model nothing. A full year when the history allows it: a winter of validation days calibrated the interval too wide for
// a whole year (held-out Beijing stations, 1 day ahead: 86% coverage after 120 winter days, 79% after a year).

/** Validation days for a history of `historyDays` before them: a third of it, at least 14, at most a year. */
export function validationDaysFor(historyDays: number): number {
  return Math.min(365, Math.max(14, Math.round(historyDays / 3)));
}

/** Test days `airq train` reports on at the end of a history of `spanDays`: about 15%, at least 14, at most 180. */
export function testDaysFor(spanDays: number): number {
  return Math.min(180, Math.max(14, Math.round(spanDays * 0.15)));
}
