// `bench gbdt --csv`: a CSV becomes a numeric table in file order, with missing cells, text columns and unlabelled rows handled.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { csvTable } from '../../bench/csv-table.js';
import { UsageError } from '../../src/core/errors.js';
import { tempDir } from '../helpers/tmp.js';

const CSV = ['a,city,"b",y', ...Array.from({ length: 12 }, (_, i) => `${i},x${i},${i % 3 === 0 ? 'NA' : i * 2},${i === 5 ? '' : i + 0.5}`)].join('\n');

describe('csvTable', () => {
  it('keeps numeric columns (missing cells as NaN), leaves out text columns and unlabelled rows, in file order', () => {
    const dir = tempDir();
    const file = join(dir, 't.csv.gz');
    writeFileSync(file, gzipSync(CSV));
    const t = csvTable(file, 'y');
    expect(t.names).toEqual(['a', 'b']);
    expect(t.x.rows).toBe(11); // row 5 has no label
    expect(Array.from(t.y.subarray(0, 3))).toEqual([0.5, 1.5, 2.5]);
    expect(Array.from(t.x.data.subarray(0, 4))).toEqual([0, NaN, 1, 2]);
  });

  it('says what is wrong with the file or the label column', () => {
    const dir = tempDir();
    const file = join(dir, 't.csv');
    writeFileSync(file, CSV);
    expect(() => csvTable(join(dir, 'none.csv'), 'y')).toThrow(UsageError);
    expect(() => csvTable(file, 'pm25')).toThrow(/has no column "pm25"; its columns: a, city, b, y/);
    expect(() => csvTable(file, 'city')).toThrow(/holds text that is not a number/);
  });
});
