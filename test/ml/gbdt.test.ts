// Gradient-boosted trees on data with known answers: steps, curves, missing values, quantiles, early stopping, JSON.
import { describe, expect, it } from 'vitest';
import { Gbdt, type GbdtParams } from '../../src/ml/gbdt.js';
import { matrixFromRows, type Matrix } from '../../src/ml/matrix.js';
import { coverage, rmse } from '../../src/ml/metrics.js';
import { seededRandom } from '../../src/ml/random.js';

/** A standard normal from a seeded uniform source (Box-Muller). */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** n rows of `cols` uniform features in [-1, 1] and y = f(row) + noise. */
function dataset(n: number, cols: number, f: (r: number[]) => number, noise: number, seed: number): { x: Matrix; y: number[] } {
  const random = seededRandom(seed);
  const rows = Array.from({ length: n }, () => Array.from({ length: cols }, () => random() * 2 - 1));
  return { x: matrixFromRows(rows), y: rows.map((r) => f(r) + noise * normal(random)) };
}

describe('Gbdt', () => {
  it('finds a step with one split', () => {
    // 101 distinct values (fewer than the bins), so a cut falls exactly between 0.3 and 0.32.
    const rows = Array.from({ length: 1010 }, (_, i) => [((i % 101) - 50) / 50]);
    const x = matrixFromRows(rows);
    const y = rows.map((r) => (r[0]! <= 0.3 ? 1 : 5));
    const m = Gbdt.fit(x, y, { nEstimators: 1, learningRate: 1, maxDepth: 1, minChildWeight: 1, lambda: 0 });
    const t = m.trees[0]!;
    expect(t.feature[0]).toBe(0);
    expect(t.threshold[0]).toBeCloseTo(0.31, 12);
    expect(Array.from(m.predict(matrixFromRows([[-0.5], [0.29], [0.32], [0.9]])))).toEqual([1, 1, 5, 5].map((v) => expect.closeTo(v, 9)));
  });

  it('learns y = x² + noise down to the noise level, and ignores an irrelevant feature', () => {
    const f = (r: number[]) => 10 * r[0]! ** 2;
    const train = dataset(4000, 2, f, 0.5, 2);
    const test = dataset(2000, 2, f, 0.5, 3);
    const m = Gbdt.fit(train.x, train.y, { nEstimators: 200, learningRate: 0.1, maxDepth: 4 });
    const e = rmse(test.y, m.predict(test.x));
    expect(e).toBeLessThan(0.6); // the noise alone is 0.5; predicting the mean would be ~3
    const [top, other] = m.featureImportance();
    expect(top!.feature).toBe('f0');
    expect(other!.gain).toBeLessThan(top!.gain * 0.05);
  });

  it('routes missing values to the side that fits them', () => {
    // When x is missing the label is high: a model that sent NaN to the default side would predict low.
    const random = seededRandom(4);
    const rows: (number | null)[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const missing = random() < 0.3;
      const v = random();
      rows.push([missing ? null : v]);
      y.push(missing ? 10 : v);
    }
    const m = Gbdt.fit(matrixFromRows(rows), y, { nEstimators: 50, learningRate: 0.3, maxDepth: 3 });
    const [nan, low, high] = m.predict(matrixFromRows([[null], [0.05], [0.95]]));
    expect(nan).toBeCloseTo(10, 0);
    expect(low).toBeLessThan(0.3);
    expect(high).toBeGreaterThan(0.7);
  });

  it('fits quantiles whose band covers what it should', () => {
    const f = (r: number[]) => 3 * r[0]!;
    const noise = (r: number[]) => 1 + Math.abs(r[0]!) * 2; // heteroscedastic: wider for large |x|
    const make = (seed: number) => {
      const random = seededRandom(seed);
      const rows = Array.from({ length: 4000 }, () => [random() * 2 - 1]);
      return { x: matrixFromRows(rows), y: rows.map((r) => f(r) + noise(r) * normal(random)) };
    };
    const train = make(5);
    const test = make(6);
    const params: GbdtParams = { objective: 'quantile', nEstimators: 150, learningRate: 0.1, maxDepth: 3 };
    const loModel = Gbdt.fit(train.x, train.y, { ...params, alpha: 0.1 });
    const hiModel = Gbdt.fit(train.x, train.y, { ...params, alpha: 0.9 });
    const c = coverage(test.y, loModel.predict(test.x), hiModel.predict(test.x));
    expect(c).toBeGreaterThan(0.75);
    expect(c).toBeLessThan(0.85);
    // Wider where the noise is larger.
    const width = (x: number) => {
      const q = matrixFromRows([[x]]);
      return hiModel.predict(q)[0]! - loModel.predict(q)[0]!;
    };
    expect(width(0.9)).toBeGreaterThan(1.5 * width(0));
  });

  it('is deterministic for a seed, with row and column subsampling', () => {
    const { x, y } = dataset(1500, 5, (r) => r[0]! + 2 * r[1]! * r[2]!, 0.1, 7);
    const params: GbdtParams = { nEstimators: 40, subsample: 0.7, colsample: 0.6, seed: 11 };
    const a = Gbdt.fit(x, y, params).predict(x);
    const b = Gbdt.fit(x, y, params).predict(x);
    const c = Gbdt.fit(x, y, { ...params, seed: 12 }).predict(x);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('stops early at the best validation round', () => {
    const f = (r: number[]) => r[0]!;
    const train = dataset(300, 3, f, 1, 8); // much noise, few rows: deep trees overfit quickly
    const valid = dataset(300, 3, f, 1, 9);
    const m = Gbdt.fit(train.x, train.y, { nEstimators: 500, learningRate: 0.3, maxDepth: 6, minChildWeight: 2, earlyStoppingRounds: 10 }, { valid });
    expect(m.bestIteration).toBeLessThan(100);
    expect(m.trees).toHaveLength(m.bestIteration);
    expect(m.validLoss.length).toBe(m.bestIteration + 10);
    expect(Math.min(...m.validLoss)).toBe(m.validLoss[m.bestIteration - 1]);
  });

  it('refits on more rows with the number of trees validation chose, and learns from them', () => {
    const f = (r: number[]) => 3 * r[0]! + (r[1]! > 0 ? 2 : 0);
    const [train, valid, test] = [dataset(400, 2, f, 0.5, 21), dataset(400, 2, f, 0.5, 22), dataset(2000, 2, f, 0.5, 23)];
    const params: GbdtParams = { nEstimators: 400, learningRate: 0.1, maxDepth: 3, earlyStoppingRounds: 20, seed: 5 };
    const chosen = Gbdt.fit(train.x, train.y, params, { valid });
    const all = { x: matrixFromRows([...rowsOf(train.x), ...rowsOf(valid.x)]), y: [...train.y, ...valid.y] };
    const refit = chosen.refit(all.x, all.y);
    expect(refit.trees).toHaveLength(chosen.bestIteration);
    expect(refit.validLoss).toEqual([]);
    expect(refit.params.learningRate).toBe(0.1);
    expect(rmse(test.y, refit.predict(test.x))).toBeLessThan(rmse(test.y, chosen.predict(test.x))); // twice the rows
    expect(Array.from(chosen.refit(all.x, all.y).predict(test.x))).toEqual(Array.from(refit.predict(test.x))); // deterministic
  });

  it('round-trips through JSON and predicts identically (property over random models)', () => {
    const random = seededRandom(13);
    for (let trial = 0; trial < 12; trial++) {
      const cols = 1 + Math.floor(random() * 4);
      const { x, y } = dataset(300 + Math.floor(random() * 300), cols, (r) => Math.sin(3 * r[0]!) + r.reduce((a, b) => a + b, 0), 0.3, 100 + trial);
      // Some missing values, so that missing-side routing is part of what must survive.
      for (let i = 0; i < x.data.length; i += 7) x.data[i] = NaN;
      const params: GbdtParams = {
        objective: random() < 0.5 ? 'squared_error' : 'quantile',
        alpha: 0.2 + random() * 0.6,
        nEstimators: 5 + Math.floor(random() * 30),
        maxDepth: 1 + Math.floor(random() * 6),
        subsample: 0.5 + random() * 0.5,
        colsample: 0.5 + random() * 0.5,
        maxBins: 2 + Math.floor(random() * 254),
        seed: trial,
      };
      const m = Gbdt.fit(x, y, params);
      const back = Gbdt.fromJSON(JSON.parse(JSON.stringify(m)));
      const probe = dataset(200, cols, () => 0, 0, 200 + trial).x;
      for (let i = 0; i < probe.data.length; i += 5) probe.data[i] = NaN;
      expect(back.predict(probe)).toEqual(m.predict(probe));
      expect(back.featureImportance()).toEqual(m.featureImportance());
    }
  });

  it('refuses bad parameters and inputs with clear errors', () => {
    const { x, y } = dataset(10, 2, () => 1, 0, 1);
    expect(() => Gbdt.fit(x, y, { learningRate: 0 })).toThrow(/learningRate/);
    expect(() => Gbdt.fit(x, y, { earlyStoppingRounds: 5 })).toThrow(/needs a validation set/);
    expect(() => Gbdt.fit(x, [1, 2, 3])).toThrow(/3 labels for 10 rows/);
    expect(() =>
      Gbdt.fit(
        x,
        y.map(() => NaN),
      ),
    ).toThrow(/label 0 is not a finite number/);
    const m = Gbdt.fit(x, y, { nEstimators: 2 });
    expect(() => m.predict(matrixFromRows([[1, 2, 3]]))).toThrow(/takes 2 features, got 3/);
    expect(() => Gbdt.fromJSON({ format: 'xgboost' })).toThrow(/invalid GBDT model JSON/);
  });
});

describe('Gbdt results are fixed for a seed', () => {
  // The figures were printed by the code before the histogram loop was specialised (issue 21): a faster loop
  // must add the same numbers in the same order, so every prediction stays the same to the last digit.
  it('predicts exactly what it predicted before, with every feature and with sampled rows and features', () => {
    const random = seededRandom(11);
    const [rows, cols] = [3000, 6];
    const data = new Float64Array(rows * cols);
    const y = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) data[i * cols + j] = random() < 0.05 ? NaN : Math.round(random() * 1000) / 10;
      const v = (k: number) => (Number.isNaN(data[i * cols + k]!) ? 50 : data[i * cols + k]!);
      y[i] = Math.sin(v(0) / 10) * 20 + v(1) * 0.3 + (v(2) > 60 ? 15 : 0) + random() * 5;
    }
    const x = { rows, cols, data };
    const golden = [
      { extra: {}, sum: 75415.54469506338, first: 4.119170686681802, last: 8.69433415135498 },
      { extra: { colsample: 0.5, subsample: 0.8 }, sum: 75419.44487793457, first: 7.300476687796127, last: 11.237821940671642 },
    ];
    for (const g of golden) {
      const p = Gbdt.fit(x, y, { nEstimators: 40, learningRate: 0.1, maxDepth: 5, maxLeaves: 20, minChildWeight: 5, seed: 3, ...g.extra }).predict(x);
      expect([p.reduce((a, b) => a + b, 0), p[0], p[rows - 1]]).toEqual([g.sum, g.first, g.last]);
    }
  });
});

describe('Gbdt.explain', () => {
  it('splits a prediction exactly into a bias and per-feature contributions, crediting the features that matter', () => {
    const f = (r: number[]) => 10 * r[0]! + (r[1]! > 0 ? 3 : 0);
    const { x, y } = dataset(3000, 3, f, 0.1, 21);
    for (let i = 0; i < x.data.length; i += 11) x.data[i] = NaN; // missing values take their learned side in explanations too
    const m = Gbdt.fit(x, y, { nEstimators: 60, learningRate: 0.2, maxDepth: 4, subsample: 0.8, seed: 3 });
    const pred = m.predict(x);
    for (const i of [0, 5, 123, 2999]) {
      const e = m.explain(x, i);
      expect(e.bias + e.contributions.reduce((s, c) => s + c.contribution, 0)).toBeCloseTo(pred[i]!, 9);
    }
    // Over many rows the irrelevant third feature gets little credit next to the first.
    const mean = (j: number) =>
      Array.from({ length: 300 }, (_, i) => Math.abs(m.explain(x, i).contributions[j]!.contribution)).reduce((a, b) => a + b, 0) / 300;
    expect(mean(2)).toBeLessThan(mean(0) / 10);
    expect(() => m.explain(x, 5000)).toThrow(/row 5000 is outside/);
  });
});

/** A matrix's rows as arrays. */
function rowsOf(m: Matrix): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
}
