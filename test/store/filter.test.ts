// The filter builder: typed comparisons with bound parameters, combinators, and clear errors.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { and, col, FilterSchema, not, or } from '../../src/store/index.js';
import { tempStore } from '../helpers/tmp.js';

async function group() {
  const store = await tempStore();
  const fg = await store.getOrCreateFeatureGroup({
    name: 'f',
    primaryKey: 'loc',
    eventTime: 'date',
    schema: [
      { name: 'loc', type: 'string' },
      { name: 'date', type: 'date' },
      { name: 'pm25', type: 'float' },
      { name: 'hours', type: 'int' },
    ],
  });
  await fg.insert([
    { loc: 'a', date: '2024-01-01', pm25: 5, hours: 24 },
    { loc: 'a', date: '2024-01-02', pm25: 50, hours: 12 },
    { loc: 'b', date: '2024-01-01', pm25: null, hours: 0 },
    { loc: "o'brien", date: '2024-01-03', pm25: 500, hours: 24 },
  ]);
  return fg;
}

const locs = (rows: Record<string, unknown>[]) => rows.map((r) => `${r.loc}/${r.date}`);

describe('filters', () => {
  it('compares numbers, dates and strings, and combines with and/or/not', async () => {
    const fg = await group();
    expect(locs(await fg.filter(col('pm25').gt(10)).read())).toEqual(['a/2024-01-02', "o'brien/2024-01-03"]);
    expect(locs(await fg.filter(col('date').between('2024-01-02', '2024-01-03')).read())).toEqual(['a/2024-01-02', "o'brien/2024-01-03"]);
    expect(locs(await fg.filter(col('loc').eq("o'brien")).read())).toEqual(["o'brien/2024-01-03"]);
    expect(locs(await fg.filter(or(col('pm25').isNull(), col('hours').lt(13))).read())).toEqual(['a/2024-01-02', 'b/2024-01-01']);
    expect(locs(await fg.filter(and(col('loc').isIn(['a', 'b']), not(col('date').eq('2024-01-01')))).read())).toEqual(['a/2024-01-02']);
    // chained filters AND together
    expect(await fg.filter(col('loc').eq('a')).filter(col('hours').ge(24)).count()).toBe(1);
  });

  it('treats values as data, never as SQL', async () => {
    const fg = await group();
    expect(await fg.filter(col('loc').eq("a' OR '1'='1")).read()).toEqual([]);
    expect(await fg.count()).toBe(4);
  });

  it('rejects unknown columns and values of the wrong type, naming them', async () => {
    const fg = await group();
    await expect(fg.filter(col('pm10').gt(1)).read()).rejects.toThrow(/"pm10" is not a feature of f v1; its features are: loc, date, pm25, hours/);
    await expect(fg.filter(col('date').gt('last week')).read()).rejects.toThrow(ValidationError);
    await expect(fg.filter(col('hours').eq(1.5)).read()).rejects.toThrow(/filter on "hours" \(int\)/);
    await expect(fg.select(['nope']).read()).rejects.toThrow(/"nope" is not a feature of f v1/);
  });

  it('filters are plain data that round-trip through JSON and their zod schema', () => {
    const f = and(col('pm25').ge(35), col('loc').isIn(['a', 'b']));
    expect(FilterSchema.parse(JSON.parse(JSON.stringify(f)))).toEqual(f);
    expect(FilterSchema.safeParse({ kind: 'cmp', column: 'x', op: 'LIKE', value: 1 }).success).toBe(false);
  });

  // Found by test/fuzz/filters.test.ts: a whole float past ±2^63 failed to bind ("bigint out of int64 range").
  it('compares floats with whole numbers past the 64-bit integers', async () => {
    const fg = await group();
    expect(await fg.filter(col('pm25').lt(1e20)).count()).toBe(3);
    expect(await fg.filter(col('pm25').isIn([2 ** 63, 1e308, 50])).count()).toBe(1);
    expect(await fg.filter(col('pm25').gt(-1e308)).count()).toBe(3);
  });
});
