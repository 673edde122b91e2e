// Cut points: the same whether a column's distinct values are counted (few of them) or found by sorting (many).
import { describe, expect, it } from 'vitest';
import { binOf, computeCuts } from '../../src/ml/binning.js';
import type { Matrix } from '../../src/ml/matrix.js';
import { seededRandom } from '../../src/ml/random.js';

/** The cut points by sorting every value, as computeCuts found them before it counted distinct values. */
function sortedCuts(values: number[], maxBins: number): number[] {
  const valueBins = maxBins - 1;
  const sorted = Float64Array.from(values.filter((v) => !Number.isNaN(v))).sort();
  const distinct: number[] = [];
  const counts: number[] = [];
  sorted.forEach((v, i) => {
    if (i === 0 || v !== sorted[i - 1]) {
      distinct.push(v);
      counts.push(1);
    } else counts[counts.length - 1]!++;
  });
  const c: number[] = [];
  if (distinct.length <= valueBins) for (let k = 0; k + 1 < distinct.length; k++) c.push((distinct[k]! + distinct[k + 1]!) / 2);
  else {
    let [seen, next] = [0, sorted.length / valueBins];
    for (let k = 0; k + 1 < distinct.length && c.length < valueBins - 1; k++) {
      seen += counts[k]!;
      if (seen < next) continue;
      c.push((distinct[k]! + distinct[k + 1]!) / 2);
      while (next <= seen) next += sorted.length / valueBins;
    }
  }
  return c;
}

const column = (values: number[]): Matrix => ({ rows: values.length, cols: 1, data: Float64Array.from(values) });

describe('computeCuts', () => {
  const random = seededRandom(11);
  const cases: [string, number[]][] = [
    ['rounded values (few distinct: counted)', Array.from({ length: 20_000 }, () => Math.round(random() ** 3 * 500))],
    ['continuous values (many distinct: sorted)', Array.from({ length: 20_000 }, () => random() * 100 - 50)],
    ['few distinct values with missing ones, -0 and 0', Array.from({ length: 3_000 }, (_, i) => [NaN, -0, 0, 1.5, -2, 7][i % 6]!)],
    ['just over the counting limit', Array.from({ length: 10_000 }, (_, i) => i % 4_097)],
  ];
  it.each(cases)('finds the same cut points as sorting every value: %s', (_, values) => {
    for (const maxBins of [255, 16]) expect(Array.from(computeCuts(column(values), maxBins)[0]!)).toEqual(sortedCuts(values, maxBins));
  });

  it('puts each value in the bin its cuts say, and missing values in the last', () => {
    const cuts = computeCuts(column([1, 2, 3, 4, NaN]))[0]!;
    expect(Array.from(cuts)).toEqual([1.5, 2.5, 3.5]);
    expect([1, 2, 3, 4, NaN].map((v) => binOf(cuts, v))).toEqual([0, 1, 2, 3, 4]);
  });
});
