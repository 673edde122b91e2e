// The markdown chunker: heading paths, paragraph packing, sentence and hard splits, overlap, budgets.
import { describe, expect, it } from 'vitest';
import { chunkMarkdown, contextualText } from '../../src/embed/chunker.js';

const DOC = `# The US AQI for PM2.5

Intro paragraph about the index.

## Categories

### Good

From 0 to 9.0 µg/m³. Air quality is satisfactory.

### Moderate

From 9.1 to 35.4 µg/m³.

## Health advice

- Sensitive groups should reduce prolonged exertion.
- Everyone else can be active outside.
`;

describe('chunkMarkdown', () => {
  it('keeps the title and heading path of every chunk', () => {
    const chunks = chunkMarkdown('aqi', DOC);
    expect(chunks.map((c) => [c.headingPath.join(' > '), c.text])).toEqual([
      ['', 'Intro paragraph about the index.'],
      ['Categories > Good', 'From 0 to 9.0 µg/m³. Air quality is satisfactory.'],
      ['Categories > Moderate', 'From 9.1 to 35.4 µg/m³.'],
      ['Health advice', '- Sensitive groups should reduce prolonged exertion.\n- Everyone else can be active outside.'],
    ]);
    expect(chunks.every((c) => c.title === 'The US AQI for PM2.5' && c.docId === 'aqi')).toBe(true);
    expect(chunks.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    expect(contextualText(chunks[2]!)).toBe('The US AQI for PM2.5 > Categories > Moderate\nFrom 9.1 to 35.4 µg/m³.');
  });

  it('packs paragraphs up to the budget, splits long ones at sentences, and overlaps chunks of a section', () => {
    const sentence = (i: number) => `Sentence number ${i} says something about particles.`; // 49-50 chars
    const long = Array.from({ length: 12 }, (_, i) => sentence(i)).join(' ');
    const chunks = chunkMarkdown('d', `# T\n\n## S\n\n${long}\n\nA short closing paragraph.`, { maxChars: 200, overlap: 40 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(200);
    // Every sentence survives whole somewhere, and consecutive chunks share their seam.
    for (let i = 0; i < 12; i++) expect(chunks.some((c) => c.text.includes(sentence(i)))).toBe(true);
    for (let i = 1; i < chunks.length; i++) {
      const prevEnd = chunks[i - 1]!.text.slice(-15);
      expect(chunks[i]!.text).toContain(prevEnd);
    }
    expect(chunks.at(-1)!.text.endsWith('A short closing paragraph.')).toBe(true);
  });

  it('cuts a sentence longer than the budget, and names untitled documents by id', () => {
    const chunks = chunkMarkdown('untitled', 'x'.repeat(500), { maxChars: 100, overlap: 0 });
    expect(chunks.map((c) => c.text.length)).toEqual([100, 100, 100, 100, 100]);
    expect(chunks[0]!.title).toBe('untitled');
  });
});
