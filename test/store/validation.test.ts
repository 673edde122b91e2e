// Expectation suites: each kind, STRICT (reject, write nothing anywhere) and ALWAYS (write and record).
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import type { ExpectationSuiteInput, FeatureStore } from '../../src/store/index.js';
import { tempStore } from '../helpers/tmp.js';

const schema = [
  { name: 'id', type: 'string' as const },
  { name: 'day', type: 'date' as const },
  { name: 'pm25', type: 'float' as const },
  { name: 'category', type: 'string' as const },
  { name: 'email', type: 'string' as const },
];

async function group(store: FeatureStore, expectations: ExpectationSuiteInput) {
  return store.getOrCreateFeatureGroup({
    name: 'checked',
    primaryKey: 'id',
    eventTime: 'day',
    onlineEnabled: true,
    schema,
    expectations,
  });
}

const row = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  day: '2024-01-01',
  pm25: 12,
  category: 'good',
  email: `${id}@x.org`,
  ...over,
});

describe('expectation kinds', () => {
  const cases: [string, ExpectationSuiteInput['expectations'][number], Record<string, unknown>][] = [
    ['valuesBetween', { kind: 'valuesBetween', column: 'pm25', min: 0, max: 1000 }, { pm25: 1200 }],
    ['notNull', { kind: 'notNull', column: 'pm25' }, { pm25: null }],
    ['valuesInSet', { kind: 'valuesInSet', column: 'category', values: ['good', 'moderate'] }, { category: 'awful' }],
    ['valuesOfType', { kind: 'valuesOfType', column: 'pm25', type: 'int' }, { pm25: 12.5 }],
    ['valuesMatchRegex', { kind: 'valuesMatchRegex', column: 'email', pattern: '^[^@]+@[^@]+$' }, { email: 'nope' }],
  ];
  for (const [name, expectation, badValues] of cases) {
    it(`${name}: passes good rows and rejects a bad one under STRICT, naming the row`, async () => {
      const store = await tempStore();
      const fg = await group(store, { expectations: [expectation] });
      await fg.insert([row('a'), row('b')]);
      const err = await fg.insert([row('c'), row('d', badValues)]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as Error).message).toMatch(/nothing was written/);
      expect((err as Error).message).toMatch(/1 of \d+ failed \(first at row 1/);
      expect(await fg.count()).toBe(2);
    });
  }

  it('rowCountBetween checks the size of the batch', async () => {
    const store = await tempStore();
    const fg = await group(store, { expectations: [{ kind: 'rowCountBetween', min: 2, max: 3 }] });
    await expect(fg.insert([row('a')])).rejects.toThrow(/row count between 2 and 3/);
    await expect(fg.insert([row('a'), row('b')])).resolves.not.toBeNull();
  });

  it('unique checks within the batch and against rows already in the table', async () => {
    const store = await tempStore();
    const fg = await group(store, { expectations: [{ kind: 'unique', columns: ['email'] }] });
    await fg.insert([row('a', { email: 'same@x.org' })]);
    await expect(fg.insert([row('b', { email: 'x@x.org' }), row('c', { email: 'x@x.org' })])).rejects.toThrow(/\(email\) unique: 1 of 2 failed/);
    await expect(fg.insert([row('d', { email: 'same@x.org' })])).rejects.toThrow(/\(email\) unique: 1 of 1 failed/);
    // replacing the row that holds the value is not a clash: it is the same row version
    await expect(fg.insert([row('a', { email: 'same@x.org', pm25: 1 })])).resolves.not.toBeNull();
    expect(await fg.count()).toBe(1);
  });

  it('mostly lets a fraction of values fail', async () => {
    const store = await tempStore();
    const fg = await group(store, {
      expectations: [{ kind: 'valuesBetween', column: 'pm25', min: 0, max: 100, mostly: 0.75 }],
    });
    const c = await fg.insert([row('a'), row('b'), row('c'), row('d', { pm25: 500 })]);
    expect(c!.validation!.results[0]!.unexpectedPercent).toBe(25);
    await expect(fg.insert([row('e', { pm25: 500 }), row('f', { pm25: 500 })])).rejects.toThrow(ValidationError);
  });
});

describe('policies', () => {
  it('STRICT: a failed insert leaves offline rows, online rows and the commit log unchanged', async () => {
    const store = await tempStore();
    const fg = await group(store, {
      policy: 'STRICT',
      expectations: [{ kind: 'valuesBetween', column: 'pm25', min: 0, max: 1000 }],
    });
    await fg.insert([row('a'), row('b')]);
    const offline = await fg.read();
    const online = await fg.getOnlineBatch(['a', 'b', 'c']);
    const log = await fg.commits();
    // an upsert of a, an update of b and a new c: all must be dropped together
    await expect(fg.insert([row('a', { day: '2024-01-02' }), row('b', { pm25: 5 }), row('c', { pm25: -1 })])).rejects.toThrow(ValidationError);
    expect(await fg.read()).toEqual(offline);
    expect(await fg.getOnlineBatch(['a', 'b', 'c'])).toEqual(online);
    expect(await fg.commits()).toEqual(log);
    expect(online[2]).toBeUndefined();
  });

  it('ALWAYS: writes the rows and records the failures in the commit report', async () => {
    const store = await tempStore();
    const fg = await group(store, {
      policy: 'ALWAYS',
      expectations: [
        { kind: 'valuesBetween', column: 'pm25', min: 0, max: 1000 },
        { kind: 'notNull', column: 'category' },
      ],
    });
    const c = await fg.insert([row('a', { pm25: 2000 }), row('b')]);
    expect(c!.validationSuccess).toBe(false);
    expect(await fg.count()).toBe(2);
    const stored = await fg.commit(c!.commitId);
    expect(stored.validation!.policy).toBe('ALWAYS');
    expect(stored.validation!.results.map((r) => [r.success, r.unexpectedCount, r.sample])).toEqual([
      [false, 1, [{ row: 0, value: 2000 }]],
      [true, 0, []],
    ]);
    expect((await fg.commits())[0]!.validationSuccess).toBe(false);
  });

  it('validate() is a dry run: it reports without writing', async () => {
    const store = await tempStore();
    const fg = await group(store, { expectations: [{ kind: 'valuesBetween', column: 'pm25', max: 50 }] });
    const report = await fg.validate([row('a', { pm25: 60 })]);
    expect(report!.success).toBe(false);
    expect(await fg.count()).toBe(0);
    expect(await fg.commits()).toEqual([]);
  });

  it('setExpectationSuite changes the rules for later inserts and refuses unknown columns', async () => {
    const store = await tempStore();
    const fg = await group(store, { expectations: [] });
    await fg.insert([row('a', { pm25: 5000 })]);
    await fg.setExpectationSuite({ expectations: [{ kind: 'valuesBetween', column: 'pm25', max: 1000 }] });
    await expect(fg.insert([row('b', { pm25: 5000 })])).rejects.toThrow(ValidationError);
    await expect(fg.setExpectationSuite({ expectations: [{ kind: 'notNull', column: 'nope' }] })).rejects.toThrow(/unknown column "nope"/);
    expect(fg.meta.expectations!.expectations).toHaveLength(1);
  });

  it('refuses a suite that names a column the data does not have', async () => {
    const store = await tempStore();
    await expect(group(store, { expectations: [{ kind: 'notNull', column: 'nope' }] })).rejects.toThrow(/expectation "notNull" names column "nope"/);
    await expect(group(store, { expectations: [{ kind: 'valuesBetween', column: 'pm25' } as never] })).rejects.toThrow(/valuesBetween needs min, max or both/);
  });
});

describe('suites and getOrCreate', () => {
  it('getOrCreate returns an existing group with the suite it has, even after setExpectationSuite', async () => {
    const store = await tempStore();
    const fg = await group(store, { expectations: [] });
    await fg.setExpectationSuite({ expectations: [{ kind: 'notNull', column: 'pm25' }] });
    await expect(group(store, { expectations: [] })).resolves.toBe(fg);
    expect(fg.meta.expectations!.expectations).toEqual([{ kind: 'notNull', column: 'pm25' }]);
  });
});
