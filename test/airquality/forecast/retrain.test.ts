// The retrain rules, each with the case behind it: no model, places changed, a model over a week old, recent error drifting above validation, monitoring alerts.
import { describe, expect, it } from 'vitest';
import { RETRAIN_RULES, type RetrainFacts } from '../../../src/airquality/forecast/retrain.js';
import type { Model } from '../../../src/store/index.js';

const model = (tags: Record<string, string>, validation = 10) => ({ version: 3, meta: { tags, metrics: { validation_rmse: validation } } }) as unknown as Model;
const facts = (over: Partial<RetrainFacts>): RetrainFacts => ({
  today: '2024-03-20',
  places: ['a', 'b'],
  model: model({ places: 'a,b', trained_through: '2024-03-18' }),
  lastPlaces: ['a', 'b'],
  recent: { rmse: 11, n: 14 },
  oldView: undefined,
  alerts: [],
  ...over,
});

/** The first rule that holds, as the run applies them. */
const reason = (f: RetrainFacts) => {
  for (const r of RETRAIN_RULES) {
    const why = r.reason(f);
    if (why) return { rule: r.id, why };
  }
  return undefined;
};

describe('retrain rules', () => {
  it('trains a store that has never been trained', () => {
    expect(reason(facts({ model: undefined, lastPlaces: undefined }))).toMatchObject({ rule: 'no-model' });
  });

  it('retrains when places were added or removed, naming them', () => {
    expect(reason(facts({ model: undefined, lastPlaces: ['a', 'c'] }))).toEqual({
      rule: 'places-changed',
      why: 'the places changed since the last training (added b; removed c)',
    });
  });

  it('retrains a model that learned from data more than 7 days before today, not one of exactly 7', () => {
    expect(reason(facts({ model: model({ trained_through: '2024-03-12' }) }))).toMatchObject({ rule: 'age', why: expect.stringMatching(/8 days ago/) });
    expect(reason(facts({ model: model({ trained_through: '2024-03-13' }) }))).toBeUndefined();
  });

  it('retrains when the last 14 days’ 1-day error exceeds validation by more than 30%, given enough forecasts', () => {
    expect(reason(facts({ recent: { rmse: 13.1, n: 14 } }))).toMatchObject({
      rule: 'drift',
      why: expect.stringMatching(/RMSE 13\.1 µg\/m³ exceeds the validation RMSE 10\.0 by more than 30% \(14 forecasts\)/),
    });
    expect(reason(facts({ recent: { rmse: 12.9, n: 14 } }))).toBeUndefined();
    expect(reason(facts({ recent: { rmse: 40, n: 6 } }))).toBeUndefined(); // too few forecasts to say
  });

  it('retrains on a monitoring alert once the model is 3 days old instead of 7: its evidence outlasts one retrain, so not daily', () => {
    const alerts = ['a, 1 day ahead: RMSE 70.2 is over 1.5× the backtest', 'b: inputs unlike the same days of earlier years: pressure_mean (PSI 0.80)'];
    expect(reason(facts({ alerts, model: model({ places: 'a,b', trained_through: '2024-03-17' }) }))).toEqual({
      rule: 'monitoring',
      why: 'monitoring alert: a, 1 day ahead: RMSE 70.2 is over 1.5× the backtest (and 1 more); the model learned from data up to 2024-03-17, 3 days ago',
    });
    expect(reason(facts({ alerts }))).toBeUndefined(); // trained through 2024-03-18: 2 days
    expect(reason(facts({ alerts: [], model: model({ places: 'a,b', trained_through: '2024-03-15' }) }))).toBeUndefined();
  });

  it('retrains when the feature view changed, saying so rather than that the places changed', () => {
    expect(reason(facts({ model: undefined, oldView: 1 }))).toEqual({
      rule: 'view-changed',
      why: "the forecaster's inputs changed (feature view air_quality_fv v1 -> v2); the last model read v1",
    });
  });

  it('are checked in order: a new store, a new feature view, changed places, age, drift, monitoring', () => {
    expect(RETRAIN_RULES.map((r) => r.id)).toEqual(['no-model', 'view-changed', 'places-changed', 'age', 'drift', 'monitoring']);
    // An old model on changed places: the places are the reason given.
    expect(reason(facts({ model: undefined, lastPlaces: ['a'], recent: { rmse: 99, n: 14 } }))).toMatchObject({ rule: 'places-changed' });
  });
});
