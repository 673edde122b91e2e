// The ZIP reader: stored and deflated entries, folders skipped, corruption and non-archives refused.
import { describe, expect, it } from 'vitest';
import { zipEntries } from '../../src/core/zip.js';
import { makeZip } from '../helpers/zip.js';

describe('zipEntries', () => {
  it('reads stored and deflated entries and skips folders', () => {
    const text = Buffer.from('No,year,month\n'.repeat(500));
    const zip = makeZip([
      { name: 'data/', data: Buffer.alloc(0), deflate: false },
      { name: 'data/a.csv', data: text },
      { name: 'data/b.txt', data: Buffer.from('plain'), deflate: false },
    ]);
    const entries = zipEntries(zip);
    expect(entries.map((e) => [e.name, e.size])).toEqual([
      ['data/a.csv', text.length],
      ['data/b.txt', 5],
    ]);
    expect(entries[0]!.read().equals(text)).toBe(true);
    expect(entries[1]!.read().toString()).toBe('plain');
  });

  it('refuses a corrupt entry and a file that is not a ZIP', () => {
    const zip = makeZip([{ name: 'a.txt', data: Buffer.from('hello world'), deflate: false }]);
    zip[30 + 'a.txt'.length] = 'j'.charCodeAt(0); // flip the first data byte: the CRC no longer matches
    expect(() => zipEntries(zip)[0]!.read()).toThrow(/a\.txt is corrupt/);
    expect(() => zipEntries(Buffer.from('<html>not found</html>'))).toThrow(/not a ZIP archive/);
  });
});
