// The README's data dictionary is generated from the feature-group definitions; this keeps it true.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDictionaryMarkdown, DOCUMENTED_GROUPS } from '../../src/airquality/data-dictionary.js';

describe('data dictionary', () => {
  it('documents every column of every group, and the README carries the current version', () => {
    for (const g of DOCUMENTED_GROUPS) for (const f of g.schema ?? []) expect(f.description, `${g.name}.${f.name}`).toBeTruthy();
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(dataDictionaryMarkdown());
  });
});
