// Fuzz: the filter builder against a real DuckDB store. Generated valid filters return exactly the rows a plain JavaScript
// filter (SQL's three-valued logic) keeps; hostile values are values, never SQL; bad filters are ValidationErrors; nothing changes.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { FeatureStore, FilterSchema, type Filter, type FeatureGroup, type Row } from '../../src/store/index.js';
import { tempDir } from '../helpers/tmp.js';
import { check, hostileNumber, hostileString, NASTY, PROTO_NAMES } from './fuzz.js';

type Scalar = string | number | boolean;
type Column = 'loc' | 'date' | 'pm25' | 'hours' | 'ok' | 'ts';
const TYPES: Record<Column, 'string' | 'date' | 'float' | 'int' | 'bool' | 'timestamp'> = {
  loc: 'string',
  date: 'date',
  pm25: 'float',
  hours: 'int',
  ok: 'bool',
  ts: 'timestamp',
};
const COLUMNS = Object.keys(TYPES) as Column[];

/**
 * Every nasty string is a place name here, but those with a lone surrogate (not well-formed UTF-16): DuckDB stores
 * them as U+FFFD, so they read back changed (reported, not a filter matter).
 */
const wellFormed = (s: string) => !/[\ud800-\udfff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));
const PLACES = NASTY.filter(wellFormed);
const DATES = ['2024-01-01', '2024-02-29', '2024-12-31', '1999-06-15'];
const FLOATS = [null, 0, 5, 35.5, -1, 1e308, 0.1 + 0.2];
const INTS = [null, 0, 24, -1, Number.MAX_SAFE_INTEGER];
const BOOLS = [null, true, false];
const STAMPS = ['2024-01-01T00:00:00.000Z', '2024-01-01T12:30:00.000Z', '1970-01-01T00:00:00.000Z', '2038-01-19T03:14:08.000Z'];

function rowsOf(): Record<string, Scalar | null>[] {
  return PLACES.flatMap((loc, i) =>
    DATES.slice(0, 1 + (i % DATES.length)).map((date, j) => ({
      loc,
      date,
      pm25: FLOATS[(i + j) % FLOATS.length]!,
      hours: INTS[(i * 3 + j) % INTS.length]!,
      ok: BOOLS[(i + 2 * j) % BOOLS.length]!,
      ts: (i + j) % 5 === 0 ? null : STAMPS[(i + j) % STAMPS.length]!,
    })),
  );
}

/** A value of the column's type: one the rows hold (so filters match), or an edge of the type. */
function valueOf(c: Column): fc.Arbitrary<Scalar> {
  const held = (xs: readonly (Scalar | null)[]) => fc.constantFrom(...(xs.filter((x) => x !== null) as Scalar[]));
  switch (TYPES[c]) {
    case 'string':
      return fc.oneof(held(PLACES), hostileString.filter(wellFormed));
    case 'date':
      return fc.oneof(
        held(DATES),
        fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      );
    case 'float':
      return fc.oneof(held(FLOATS), hostileNumber);
    case 'int':
      return fc.oneof(held(INTS), fc.integer(), fc.constantFrom(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
    case 'bool':
      return fc.boolean();
    case 'timestamp':
      return fc.oneof(
        held(STAMPS),
        fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }).map((d) => d.toISOString()),
      );
  }
}

const OPS = ['=', '!=', '<', '<=', '>', '>='] as const;
const leaf: fc.Arbitrary<Filter> = fc.constantFrom(...COLUMNS).chain((column) =>
  fc.oneof(
    fc.tuple(fc.constantFrom(...OPS), valueOf(column)).map(([op, value]): Filter => ({ kind: 'cmp', column, op, value })),
    fc.array(valueOf(column), { minLength: 1, maxLength: 4 }).map((values): Filter => ({ kind: 'in', column, values })),
    fc.boolean().map((isNull): Filter => ({ kind: 'null', column, isNull })),
  ),
);
/** A valid filter: leaves of every kind under and/or/not, a few levels deep. */
const validFilter: fc.Arbitrary<Filter> = fc.letrec<{ f: Filter }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc
      .tuple(fc.constantFrom('and' as const, 'or' as const), fc.array(tie('f'), { minLength: 1, maxLength: 3 }))
      .map(([kind, filters]): Filter => ({ kind, filters })),
    tie('f').map((filter): Filter => ({ kind: 'not', filter })),
  ),
})).f;

/** SQL's three-valued truth: true, false, or null (unknown). */
type Truth = boolean | null;
const utf8 = (s: string) => Buffer.from(s, 'utf8');

function compare(type: string, a: Scalar, b: Scalar): number {
  if (type === 'string') return Buffer.compare(utf8(a as string), utf8(b as string));
  if (type === 'timestamp') return Date.parse(a as string) - Date.parse(b as string);
  if (type === 'bool') return Number(a) - Number(b);
  if (type === 'date') return a < b ? -1 : a > b ? 1 : 0;
  return (a as number) - (b as number);
}

function truth(f: Filter, row: Row): Truth {
  switch (f.kind) {
    case 'null':
      return (row[f.column] === null) === f.isNull;
    case 'cmp': {
      const v = row[f.column];
      if (v === null || v === undefined) return null;
      const d = compare(TYPES[f.column as Column], v as Scalar, f.value);
      return { '=': d === 0, '!=': d !== 0, '<': d < 0, '<=': d <= 0, '>': d > 0, '>=': d >= 0 }[f.op];
    }
    case 'in': {
      const v = row[f.column];
      if (v === null || v === undefined) return null;
      return f.values.some((x) => compare(TYPES[f.column as Column], v as Scalar, x) === 0);
    }
    case 'not': {
      const t = truth(f.filter, row);
      return t === null ? null : !t;
    }
    case 'and': {
      const ts = f.filters.map((g) => truth(g, row));
      return ts.includes(false) ? false : ts.includes(null) ? null : true;
    }
    case 'or': {
      const ts = f.filters.map((g) => truth(g, row));
      return ts.includes(true) ? true : ts.includes(null) ? null : false;
    }
  }
}

const keyOf = (r: Row) => JSON.stringify([r.loc, r.date]);
const keys = (rows: Row[]) => rows.map(keyOf).sort();

/** Anything a caller could send as a filter: random JSON, near-misses of the schema, unknown and prototype columns. */
const hostileFilter: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.record(
    {
      kind: fc.constantFrom('cmp', 'in', 'null', 'and', 'or', 'not', 'like', '__proto__'),
      column: fc.oneof(fc.constantFrom(...COLUMNS, ...PROTO_NAMES, 'LOC', 'loc"', 'loc; DROP TABLE f', '_commit', 'p0.loc'), hostileString),
      op: fc.constantFrom(...OPS, 'LIKE', '==', '<>', '; --'),
      value: fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null), fc.jsonValue()),
      values: fc.array(fc.oneof(hostileString, hostileNumber, fc.boolean()), { maxLength: 3 }),
      isNull: fc.oneof(fc.boolean(), hostileString),
      filters: fc.array(fc.jsonValue(), { maxLength: 2 }),
    },
    { requiredKeys: ['kind'] },
  ),
);

describe('fuzz: the filter builder on DuckDB', () => {
  let store: FeatureStore;
  let fg: FeatureGroup;
  let all: Row[];
  let commit: number;

  beforeAll(async () => {
    store = await FeatureStore.open({ dir: tempDir('airq-fuzz-filter-') });
    fg = await store.getOrCreateFeatureGroup({
      name: 'f',
      primaryKey: ['loc', 'date'],
      eventTime: 'date',
      schema: COLUMNS.map((name) => ({ name, type: TYPES[name] })),
    });
    await fg.insert(rowsOf());
    all = await fg.read();
    commit = store.lastCommitId;
  });
  afterAll(() => store?.close());

  it('stored the nasty values as they were given', () => {
    expect(keys(all)).toEqual(keys(rowsOf() as Row[]));
  });

  it('a valid filter returns exactly the rows a plain JavaScript filter keeps', async () => {
    await check(
      'filter differential',
      fc.asyncProperty(validFilter, async (f) => {
        let got: Row[];
        try {
          got = await fg.filter(f).read();
        } catch (e) {
          // A value the column's type cannot hold (a fraction on an int column) is the only refusal allowed.
          expect(e, String(e)).toBeInstanceOf(ValidationError);
          expect((e as Error).message).toMatch(/^filter on "/);
          return;
        }
        expect(keys(got)).toEqual(keys(all.filter((r) => truth(f, r) === true)));
        expect(await fg.filter(f).count()).toBe(got.length);
      }),
      250,
    );
    expect(store.lastCommitId).toBe(commit);
    expect(keys(await fg.read())).toEqual(keys(all));
  });

  it('any filter from outside: the schema refuses it, or it reads rows, or a ValidationError names the problem', async () => {
    await check(
      'filter from outside',
      fc.asyncProperty(hostileFilter, async (input) => {
        const parsed = FilterSchema.safeParse(input);
        if (!parsed.success) return;
        try {
          const rows = await fg.filter(parsed.data).read();
          expect(rows.length).toBeLessThanOrEqual(all.length);
        } catch (e) {
          expect(e, String(e)).toBeInstanceOf(ValidationError);
        }
      }),
      300,
    );
    expect(store.lastCommitId).toBe(commit);
    expect(keys(await fg.read())).toEqual(keys(all));
  });
});
