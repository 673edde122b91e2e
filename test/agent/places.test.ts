// Finding places in questions: ids, names, aliases, misspellings, and no places in ordinary words.
import { describe, expect, it } from 'vitest';
import { editDistance, findPlaces } from '../../src/agent/planner/places.js';
import { BEIJING_PLACES } from './beijing-places.js';

const ids = (q: string) => findPlaces(q, BEIJING_PLACES).map((p) => p.location.id);

describe('findPlaces', () => {
  it('finds names, ids and aliases in the order they are named', () => {
    expect(ids('Compare Tiantan and Dongsi')).toEqual(['beijing-tiantan', 'beijing-dongsi']);
    expect(ids('air at beijing-guanyuan?')).toEqual(['beijing-guanyuan']);
    expect(ids('near the Temple of Heaven tomorrow')).toEqual(['beijing-tiantan']);
    expect(ids('at the ming tombs')).toEqual(['beijing-dingling']);
  });

  it('matches misspellings within a small edit distance, marked fuzzy', () => {
    const m = findPlaces('how was it in Dongsy and Nongzhangaun?', BEIJING_PLACES);
    expect(m.map((p) => [p.location.id, p.fuzzy])).toEqual([
      ['beijing-dongsi', true],
      ['beijing-nongzhanguan', true],
    ]);
    expect(ids('Wanshou Xigong yesterday')).toEqual(['beijing-wanshouxigong']);
    expect(ids('at the Temple of Heavan yesterday')).toEqual(['beijing-tiantan']); // a misspelt word in an alias of three
    expect(ids('Olympic Sport Centre pm2.5')).toEqual(['beijing-aotizhongxin']);
  });

  it('takes no ordinary word for a place', () => {
    expect(ids('Will the weather be clean enough outside for running tomorrow?')).toEqual([]);
    expect(ids('What is the WHO guideline for PM2.5?')).toEqual([]);
  });

  it('counts a transposition as one edit', () => {
    expect(editDistance('dongsi', 'dnogsi')).toBe(1);
    expect(editDistance('tiantan', 'tiantan')).toBe(0);
  });
});
