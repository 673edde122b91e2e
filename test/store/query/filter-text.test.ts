// The text form of filters and orders (airq fg read --where/--order): parsed into Filter data, typed by the column, or refused clearly.
import { describe, expect, it } from 'vitest';
import { parseOrder, parseWhere, parseWhereClause } from '../../../src/store/query/filter-text.js';
import type { FeatureType } from '../../../src/store/types.js';

const columns = new Map<string, FeatureType>([
  ['station', 'string'],
  ['pm25', 'float'],
  ['hours', 'int'],
  ['ok', 'bool'],
  ['date', 'date'],
  ['embedding', 'vector'],
]);

describe('parseWhere', () => {
  it('parses comparisons, lists and nulls, typed by the column', () => {
    expect(parseWhereClause('station = Aotizhongxin', columns)).toEqual({ kind: 'cmp', column: 'station', op: '=', value: 'Aotizhongxin' });
    expect(parseWhereClause('pm25>100', columns)).toEqual({ kind: 'cmp', column: 'pm25', op: '>', value: 100 });
    expect(parseWhereClause(' hours <> 24 ', columns)).toEqual({ kind: 'cmp', column: 'hours', op: '!=', value: 24 });
    expect(parseWhereClause('ok = TRUE', columns)).toEqual({ kind: 'cmp', column: 'ok', op: '=', value: true });
    expect(parseWhereClause("station = ' a, b '", columns)).toEqual({ kind: 'cmp', column: 'station', op: '=', value: ' a, b ' });
    expect(parseWhereClause("station = 'it''s'", columns)).toEqual({ kind: 'cmp', column: 'station', op: '=', value: "it's" });
    expect(parseWhereClause('station = 1; DROP TABLE x', columns)).toEqual({ kind: 'cmp', column: 'station', op: '=', value: '1; DROP TABLE x' });
    expect(parseWhereClause('station in (A, \'B,C\', "D")', columns)).toEqual({ kind: 'in', column: 'station', values: ['A', 'B,C', 'D'] });
    expect(parseWhereClause('hours NOT IN (1,2)', columns)).toEqual({ kind: 'not', filter: { kind: 'in', column: 'hours', values: [1, 2] } });
    expect(parseWhereClause('pm25 is null', columns)).toEqual({ kind: 'null', column: 'pm25', isNull: true });
    expect(parseWhereClause('pm25 IS NOT NULL', columns)).toEqual({ kind: 'null', column: 'pm25', isNull: false });
    expect(parseWhere(['pm25 > 1', 'date >= 2015-01-01'], columns)).toEqual({
      kind: 'and',
      filters: [
        { kind: 'cmp', column: 'pm25', op: '>', value: 1 },
        { kind: 'cmp', column: 'date', op: '>=', value: '2015-01-01' },
      ],
    });
    expect(parseWhere([], columns)).toBeUndefined();
  });

  it('refuses what is not a filter, naming the columns', () => {
    const refused: [string, RegExp][] = [
      ['nope = 1', /no column "nope"; the columns are: station, pm25, hours, ok, date, embedding/],
      ['pm25 > abc', /pm25 is a number column, and "abc" is not a number/],
      ['pm25 >', /a value is missing/],
      ['ok = yes', /ok is a true\/false column, and "yes" is neither/],
      ["station = 'open", /unmatched '/],
      ['station in ()', /a value is missing/],
      ['embedding is null', /vector column/],
      ['pm25 ; DROP TABLE x', /is not a filter; write COLUMN OP VALUE/],
      ['1 = 1', /is not a filter/],
      ['pm25 like 3', /is not a filter/],
    ];
    for (const [clause, message] of refused) expect(() => parseWhereClause(clause, columns), clause).toThrow(message);
  });
});

describe('parseOrder', () => {
  it('takes COL[:asc|desc], repeated or separated by commas', () => {
    expect(parseOrder(['station', 'pm25:desc, hours:ASC'], columns)).toEqual([
      { column: 'station', direction: 'asc' },
      { column: 'pm25', direction: 'desc' },
      { column: 'hours', direction: 'asc' },
    ]);
    expect(() => parseOrder(['pm25:down'], columns)).toThrow(/"pm25:down" is not an order; write COLUMN, COLUMN:asc or COLUMN:desc/);
    expect(() => parseOrder(['nope'], columns)).toThrow(/no column "nope"; the columns are: station/);
  });
});
