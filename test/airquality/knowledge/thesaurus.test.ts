// The knowledge base's thesaurus: a query naming one term of a group also searches the others, and words of no group change nothing.
import { describe, expect, it } from 'vitest';
import { expandQuery, THESAURUS } from '../../../src/airquality/knowledge/thesaurus.js';

describe('expandQuery', () => {
  it('adds the other terms of each group the query names, once', () => {
    const q = expandQuery('is it ok to go jogging with asthma?');
    expect(q.startsWith('is it ok to go jogging with asthma?')).toBe(true);
    for (const t of ['exercise', 'running', 'respiratory', 'sensitive']) expect(q).toContain(t);
    expect(q.match(/asthma/g)).toHaveLength(1);
  });

  it('leaves a query of no group as it is, and needs a whole word to start with the term', () => {
    expect(expandQuery('what is PM2.5?')).toBe('what is PM2.5?');
    expect(expandQuery('a rerun of the numbers')).toBe('a rerun of the numbers'); // "rerun" does not name "run"
  });

  it('every group says what it is for and has at least two terms', () => {
    for (const g of THESAURUS) {
      expect(g.terms.length).toBeGreaterThanOrEqual(2);
      expect(g.for.length).toBeGreaterThan(10);
    }
  });
});
