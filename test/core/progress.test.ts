// Progress: a redrawn bar on a terminal, occasional plain lines otherwise.
import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/core/progress.js';

function sink(isTTY: boolean) {
  const out: string[] = [];
  return { stream: { isTTY, write: (t: string) => out.push(t) }, out };
}

describe('progress', () => {
  it('redraws one bar on a terminal and ends the line when done', () => {
    const { stream, out } = sink(true);
    const p = progressReporter('import', stream);
    p({ done: 1, total: 4, message: 'read a' });
    p({ done: 4, total: 4, message: 'done' });
    expect(out[0]).toBe('\r\x1b[Kimport [######------------------] 1/4 read a');
    expect(out.slice(1)).toEqual(['\r\x1b[Kimport [########################] 4/4 done', '\n']);
  });

  it('writes a line per new tenth otherwise, and always the last', () => {
    const { stream, out } = sink(false);
    const p = progressReporter('backfill', stream);
    for (let i = 1; i <= 100; i++) p({ done: i, total: 100, message: `step ${i}` });
    // The first step, then one per tenth reached (10, 20, … 100): eleven lines, not a hundred.
    expect(out).toHaveLength(11);
    expect(out[0]).toBe('[airq] backfill: 1/100 step 1\n');
    expect(out[1]).toBe('[airq] backfill: 10/100 step 10\n');
    expect(out.at(-1)).toBe('[airq] backfill: 100/100 step 100\n');
  });
});
