// Statistics: per commit and on demand, with nulls kept out of means and histograms.
import { describe, expect, it } from 'vitest';
import { tempStore } from '../helpers/tmp.js';

describe('statistics', () => {
  it('describes each column, ignoring nulls, per commit and on demand (also as of a commit)', async () => {
    const store = await tempStore();
    const fg = await store.getOrCreateFeatureGroup({
      name: 's',
      primaryKey: 'id',
      schema: [
        { name: 'id', type: 'string' },
        { name: 'x', type: 'float' },
        { name: 'flag', type: 'bool' },
      ],
    });
    const values = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, null, null];
    const c1 = await fg.insert(values.map((x, i) => ({ id: `r${i}`, x, flag: i % 2 === 0 })));
    const x = c1!.statistics!.columns.find((c) => c.column === 'x')!;
    expect(c1!.statistics!.rowCount).toBe(13);
    expect([x.count, x.nullCount, x.min, x.max, x.mean]).toEqual([11, 2, 0, 10, 5]);
    expect(Math.abs(x.approxDistinct - 11)).toBeLessThanOrEqual(2); // HyperLogLog: approximate by design
    expect(x.stddev).toBeCloseTo(Math.sqrt(11), 10); // sample standard deviation of 0..10
    expect(x.histogram!.binEdges).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(x.histogram!.counts).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 2]); // nulls are in no bin
    const flag = c1!.statistics!.columns.find((c) => c.column === 'flag')!;
    expect([flag.min, flag.max, flag.mean, flag.histogram]).toEqual([false, true, undefined, undefined]);

    await fg.insert([{ id: 'r0', x: 100, flag: true }]);
    // the second commit's statistics cover only its own row; on-demand statistics cover the table
    expect((await fg.commit(2)).statistics!.columns.find((c) => c.column === 'x')!.max).toBe(100);
    const now = await fg.computeStatistics();
    expect(now.columns.find((c) => c.column === 'x')!.max).toBe(100);
    expect(now.rowCount).toBe(13);
    const before = await fg.computeStatistics({ asOf: c1!.commitId });
    expect(before.columns.find((c) => c.column === 'x')!.max).toBe(10);
  });

  it('leaves the values of text columns out (they may hold what people wrote) unless AIRQ_TEXT_STATISTICS=1', async () => {
    const store = await tempStore();
    const fg = await store.getOrCreateFeatureGroup({
      name: 'asked',
      primaryKey: 'id',
      schema: [
        { name: 'id', type: 'int' },
        { name: 'question', type: 'string' },
      ],
    });
    const rows = [
      { id: 1, question: 'Aisha asks: is my asthma ok for a run in Dongsi?' },
      { id: 2, question: 'Zoe asks: can I take the baby out?' },
    ];
    const commit = await fg.insert(rows);
    const shown = (s: { columns: { column: string; min: unknown; max: unknown; count: number }[] }) => s.columns.find((c) => c.column === 'question')!;
    expect(shown(commit!.statistics!)).toMatchObject({ count: 2, min: null, max: null });
    expect(shown(await fg.computeStatistics())).toMatchObject({ count: 2, min: null, max: null });
    expect(JSON.stringify(await fg.computeStatistics())).not.toMatch(/Aisha|Zoe/);
    process.env.AIRQ_TEXT_STATISTICS = '1';
    try {
      expect(shown(await fg.computeStatistics())).toMatchObject({ min: rows[0]!.question, max: rows[1]!.question });
    } finally {
      delete process.env.AIRQ_TEXT_STATISTICS;
    }
    await store.close();
  });

  // Found by test/fuzz/filters.test.ts: DuckDB's stddev_samp throws "out of range" past about 1e154, and every insert of such
  // floats failed with it; max - min past the doubles put "Infinity" into the histogram's SQL.
  it('describes floats at the edges of the doubles: the insert succeeds, with a finite mean, deviation and histogram', async () => {
    const store = await tempStore();
    const fg = await store.getOrCreateFeatureGroup({
      name: 'h',
      primaryKey: 'id',
      schema: [
        { name: 'id', type: 'string' },
        { name: 'x', type: 'float' },
      ],
    });
    const c = await fg.insert([
      { id: 'a', x: 1e308 },
      { id: 'b', x: -1e308 },
      { id: 'c', x: 0 },
      { id: 'd', x: Number.MAX_VALUE },
    ]);
    const x = c!.statistics!.columns.find((s) => s.column === 'x')!;
    expect(x.mean).toBeCloseTo(Number.MAX_VALUE / 4, -300);
    expect(x.stddev! / 1.2143277228365667e308).toBeCloseTo(1, 12);
    expect(x.histogram!.counts).toEqual([1, 0, 0, 1, 0, 0, 0, 0, 0, 2]);
    expect(x.histogram!.binEdges.every(Number.isFinite)).toBe(true);
    expect(await fg.count()).toBe(4);
  });
});
