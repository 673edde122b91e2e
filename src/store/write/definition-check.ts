// Checks that a group's keys, event time and expectations fit its schema, once the schema is known.
import { ValidationError } from '../../core/errors.js';
import { expectationColumns } from '../expectations/schema.js';
import { schemaDifferences } from '../schema.js';
import type { FeatureGroupMeta, FeatureGroupSpec, FeatureSpec } from '../types.js';
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
    for (const c of ix.text ?? []) {
      if (types.get(c) !== 'string') {
        throw new ValidationError(`${label}: embeddingIndex text column "${c}" must be a string column of the schema (columns: ${names})`, { column: c });
      }
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

/**
 * The differences between a stored definition and a requested one that make them different groups.
 * The description and the expectation suite are not among them: a suite evolves with the group
 * (fg.setExpectationSuite), and getOrCreate returns an existing group with the suite it has.
 */
export function definitionDifferences(stored: FeatureGroupMeta, spec: FeatureGroupSpec): string[] {
  const diffs: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (!same(stored.primaryKey, spec.primaryKey)) {
    diffs.push(`primaryKey is [${stored.primaryKey}] in the store, [${spec.primaryKey}] in the request`);
  }
  if (stored.eventTime !== spec.eventTime) {
    diffs.push(`eventTime is ${stored.eventTime ?? 'unset'} in the store, ${spec.eventTime ?? 'unset'} in the request`);
  }
  if (stored.onlineEnabled !== spec.onlineEnabled) {
    diffs.push(`onlineEnabled is ${stored.onlineEnabled} in the store, ${spec.onlineEnabled} in the request`);
  }
  if (stored.ttl !== spec.ttl) diffs.push(`ttl is ${stored.ttl ?? 'unset'} s in the store, ${spec.ttl ?? 'unset'} s in the request`);
  if (stored.schema !== null && spec.schema !== undefined) diffs.push(...schemaDifferences(stored.schema, spec.schema));
  if (!same(stored.embeddingIndex ?? null, spec.embeddingIndex ?? null)) diffs.push('embeddingIndex differs');
  return diffs;
}
