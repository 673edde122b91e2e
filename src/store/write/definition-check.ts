// Checks that a group's keys, event time and expectations fit its schema, once the schema is known.
import { ValidationError } from '../../core/errors.js';
import { expectationColumns } from '../expectations/schema.js';
import type { FeatureGroupMeta, FeatureSpec } from '../types.js';
import { labelOf } from './context.js';

export function assertDefinitionFitsSchema(meta: FeatureGroupMeta, schema: FeatureSpec[]): void {
  const label = labelOf(meta);
  const types = new Map(schema.map((f) => [f.name, f.type]));
  const names = [...types.keys()].join(', ');
  const seen = new Set<string>();
  for (const f of schema) {
    if (seen.has(f.name)) throw new ValidationError(`${label}: column "${f.name}" appears twice in the schema`);
    seen.add(f.name);
  }
  for (const k of meta.primaryKey) {
    if (!types.has(k)) {
      throw new ValidationError(`${label}: primary key column "${k}" is not in the data (columns: ${names})`, { column: k });
    }
  }
  if (meta.eventTime !== undefined) {
    const t = types.get(meta.eventTime);
    if (t === undefined) {
      throw new ValidationError(`${label}: event time column "${meta.eventTime}" is not in the data (columns: ${names})`, {
        column: meta.eventTime,
      });
    }
    if (t !== 'date' && t !== 'timestamp') {
      throw new ValidationError(`${label}: event time column "${meta.eventTime}" must be a date or timestamp, not ${t}`, {
        column: meta.eventTime,
      });
    }
  }
  for (const ix of meta.embeddingIndex ?? []) {
    if (types.get(ix.column) !== 'vector') {
      throw new ValidationError(`${label}: embeddingIndex column "${ix.column}" must be a vector column of the schema (columns: ${names})`, {
        column: ix.column,
      });
    }
  }
  for (const e of meta.expectations?.expectations ?? []) {
    for (const c of expectationColumns(e)) {
      if (!types.has(c)) {
        throw new ValidationError(`${label}: expectation "${e.kind}" names column "${c}", which is not in the schema`, {
          column: c,
        });
      }
    }
  }
}
