// The README's data dictionary is generated from the feature-group definitions; this keeps it true.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDictionaryMarkdown } from '../../src/airquality/data-dictionary.js';
import { AIR_QUALITY_GROUPS } from '../../src/airquality/feature-groups.js';

describe('data dictionary', () => {
  it('documents every column of every group, and the README carries the current version', () => {
    for (const g of AIR_QUALITY_GROUPS) for (const f of g.schema ?? []) expect(f.description, `${g.name}.${f.name}`).toBeTruthy();
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(dataDictionaryMarkdown());
  });
});
