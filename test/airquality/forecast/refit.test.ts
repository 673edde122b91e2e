// Forecaster.refit: the mean models fitted again on every day with what validation chose; the interval, its quantile models and the bias stay as measured.
import { describe, expect, it } from 'vitest';
import { Forecaster } from '../../../src/airquality/forecast/model.js';
import { seededRandom } from '../../../src/ml/random.js';
import type { Row } from '../../../src/store/index.js';

/** Rows of a made-up place: PM2.5 builds up with low wind and falls when the pressure rises; 7 horizons per day. */
function rows(days: number, seed: number): { features: Row[]; labels: Row[] } {
  const random = seededRandom(seed);
  const out = { features: [] as Row[], labels: [] as Row[] };
  for (let d = 0; d < days; d++) {
    const wind = 1 + 4 * random();
    const [pressure, prev] = [1000 + 20 * random(), 1000 + 20 * random()];
    const pm25 = Math.max(1, 120 / wind - 3 * (pressure - prev) + 15 * random());
    for (let h = 1; h <= 7; h++) {
      out.features.push({
        days_ahead: h,
        wind_speed_mean: wind,
        pressure_mean: pressure,
        prev_pressure_mean: prev,
        issue_pm25: pm25 + 20 * (random() - 0.5) * h,
      });
      out.labels.push({ pm25 });
    }
  }
  return out;
}

describe('Forecaster.refit', () => {
  it('keeps the band, its quantile models and the bias, refits the mean on all the rows, and keeps every interval strictly around its point', () => {
    const [train, valid, test] = [rows(120, 1), rows(60, 2), rows(60, 3)];
    const chosen = Forecaster.train(train, valid);
    const refit = chosen.refit({ features: [...train.features, ...valid.features], labels: [...train.labels, ...valid.labels] });
    const [a, b] = [chosen.toJSON(), refit.toJSON()];
    expect(b.format).toBe('airq-forecaster-2');
    expect([b.band, b.bias, b.featureNames, b.lower, b.upper]).toEqual([a.band, a.bias, a.featureNames, a.lower, a.upper]);
    expect(b.mean.trees).toHaveLength(a.mean.bestIteration);
    expect(b.mean).not.toEqual(a.mean);
    expect(Object.keys(b.dedicated)).toEqual(Object.keys(a.dedicated));
    for (const p of refit.predict(test.features)) expect(p.lower < p.pm25 && p.pm25 < p.upper).toBe(true);
    // The tendencies reach the model: pressure rising into the day is a driver of its own.
    expect(refit.featureNames).toContain('change_pressure_mean');
    expect(refit.featureImportance().find((i) => i.feature === 'change_pressure_mean')!.gain).toBeGreaterThan(0);
  });

  it("refits a dedicated horizon model on that horizon's rows of every day, with its own tree count", () => {
    const [train, valid] = [rows(120, 1), rows(60, 2)];
    const json = Forecaster.train(train, valid).toJSON();
    // A forecaster whose 1-day forecasts come from a model of their own (here the shared one's trees, to start from).
    const dedicated = Forecaster.fromJSON({ ...json, dedicated: { '1': json.mean } });
    const all = { features: [...train.features, ...valid.features], labels: [...train.labels, ...valid.labels] };
    const [shared, oneDay] = [dedicated.refit(all).toJSON().mean, dedicated.refit(all).toJSON().dedicated['1']!];
    expect(oneDay.trees).toHaveLength(json.mean.bestIteration);
    expect(oneDay).not.toEqual(shared); // fitted on the 1-day rows only
    expect(oneDay).not.toEqual(json.mean);
  });
});
