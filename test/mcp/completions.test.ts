// Completion helpers: prefix matches before substring matches, accents and case ignored, at most 100 values.
import { describe, expect, it } from 'vitest';
import { completeForecastDate, completeFrom } from '../../src/mcp/completions.js';

describe('completeFrom', () => {
  it('puts values that start with the typed text before values that only contain it', () => {
    expect(completeFrom(['beijing-dongsi', 'Dongsi', 'Dingling', 'dongsi'], 'dong')).toEqual(['Dongsi', 'dongsi', 'beijing-dongsi']);
  });

  it('ignores case and accents, drops duplicates, and caps the list at 100', () => {
    expect(completeFrom(['Södermalm', 'Sodermalm', 'Hornsgatan'], 'SOD')).toEqual(['Södermalm', 'Sodermalm']);
    expect(completeFrom(['a', 'a', 'b'], '')).toEqual(['a', 'b']);
    expect(
      completeFrom(
        Array.from({ length: 250 }, (_, i) => `loc-${i}`),
        'loc',
      ),
    ).toHaveLength(100);
  });

  it('offers today and the 7 forecast days, across a month end', () => {
    expect(completeForecastDate('2024-02-27', '2024-03')).toEqual(['2024-03-01', '2024-03-02', '2024-03-03', '2024-03-04', '2024-03-05']);
  });
});
