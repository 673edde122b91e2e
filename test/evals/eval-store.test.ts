// The eval store cache keeps the stores last used and removes the rest.
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pruneEvalStores } from '../../evals/eval-store.js';
import { tempDir } from '../helpers/tmp.js';

describe('pruneEvalStores', () => {
  it('removes all but the most recently used stores, and nothing else in the folder', () => {
    const cache = tempDir();
    const names = ['0000000000000001', '0000000000000002', '0000000000000003', '0000000000000004', '0000000000000005'].map((h) => `beijing-${h}`);
    names.forEach((name, i) => {
      mkdirSync(join(cache, name));
      writeFileSync(join(cache, name, 'store.duckdb'), '');
      const used = new Date(Date.UTC(2026, 0, 1 + i));
      utimesSync(join(cache, name), used, used);
    });
    mkdirSync(join(cache, 'beijing-0000000000000009.building-123')); // another process building one
    writeFileSync(join(cache, 'notes.txt'), 'kept');
    const removed = pruneEvalStores(cache, 3);
    expect(removed.map((d) => d.slice(-16)).sort()).toEqual(['0000000000000001', '0000000000000002']);
    for (const name of names.slice(2)) expect(existsSync(join(cache, name))).toBe(true);
    expect(existsSync(join(cache, 'beijing-0000000000000009.building-123'))).toBe(true);
    expect(existsSync(join(cache, 'notes.txt'))).toBe(true);
  });

  it('always keeps the store just built, and removes builds abandoned for over a day', () => {
    const cache = tempDir();
    const at = (name: string, day: number) => {
      mkdirSync(join(cache, name));
      const when = new Date(Date.now() - day * 86_400_000);
      utimesSync(join(cache, name), when, when);
    };
    at('beijing-00000000000000aa', 9); // the one just built, whose folder is older than the others
    at('beijing-00000000000000bb', 1);
    at('beijing-00000000000000cc', 2);
    at('beijing-00000000000000dd', 3);
    at('beijing-00000000000000ee.building-7', 2); // abandoned
    at('beijing-00000000000000ff.building-8', 0); // still building
    const removed = pruneEvalStores(cache, 3, join(cache, 'beijing-00000000000000aa')).map((d) => d.slice(cache.length + 1));
    expect(removed.sort()).toEqual(['beijing-00000000000000dd', 'beijing-00000000000000ee.building-7']);
  });
});
