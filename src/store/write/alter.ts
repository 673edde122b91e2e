// Definition changes that are not breaking: new nullable features with defaults, and a new expectation suite.
import { ConflictError, ValidationError } from '../../core/errors.js';
import { createGroupTable, updateGroupMeta } from '../catalog.js';
import { ident, sqlLiteral, sqlTypeOf } from '../db/values.js';
import { expectationColumns, type ExpectationSuite } from '../expectations/schema.js';
import { assertAppendable, INVALID, normalizeValue } from '../schema.js';
import type { FeatureGroupMeta, FeatureSpec, InputValue } from '../types.js';
import { labelOf, type GroupContext } from './context.js';
import { assertDefinitionFitsSchema } from './definition-check.js';

export type NewFeature = FeatureSpec & { default?: InputValue };

/** Adds nullable columns; existing rows (and their history) get the default. Re-adding the same column is a no-op. */
export async function appendFeatures(ctx: GroupContext, features: readonly NewFeature[]): Promise<void> {
  await ctx.db.write(async (tx) => {
    // Read the definition inside the write lock, so that queued definition changes compose.
    const meta = ctx.meta();
    const label = labelOf(meta);
    if (meta.schema === null) {
      throw new ConflictError(`${label} has no schema yet: insert rows first, or give a schema to getOrCreateFeatureGroup`);
    }
    assertAppendable(label, meta.schema, features);
    const known = new Set(meta.schema.map((f) => f.name));
    const added = features.filter((f) => !known.has(f.name));
    if (added.length === 0) return;
    const defaults = added.map((f) => {
      const v = normalizeValue(f.type, f.default);
      if (v === INVALID) {
        throw new ValidationError(`${label}: default ${JSON.stringify(f.default)} does not fit column "${f.name}" (${f.type})`, {
          column: f.name,
        });
      }
      return sqlLiteral(f.type, v);
    });
    const next: FeatureGroupMeta = {
      ...meta,
      schema: [...meta.schema, ...added.map(({ name, type, description }) => ({ name, type, ...(description ? { description } : {}) }))],
    };
    const commit = ctx.commitClock.next(tx);
    for (const [i, f] of added.entries()) {
      await tx.run(`ALTER TABLE ${ident(meta.table)} ADD COLUMN ${ident(f.name)} ${sqlTypeOf(f)} DEFAULT ${defaults[i]}`);
    }
    await updateGroupMeta(tx, next);
    await ctx.commitClock.record(tx, {
      commitId: commit.id,
      featureGroup: meta.name,
      version: meta.version,
      ingestedAt: commit.ingestedAt,
      operation: 'alter',
      rowsInserted: 0,
      rowsUpdated: 0,
      rowsDeleted: 0,
      validationSuccess: null,
      validation: null,
      statistics: null,
    });
    ctx.onlineSync?.stage(tx, ctx.meta);
    tx.onCommit(() => {
      ctx.setMeta(next);
      ctx.dropOnline(); // cached rows lack the new columns; reload on next lookup
    });
  });
}

/** Replaces the group's expectation suite (undefined removes it); later inserts are validated against it. */
export async function setExpectationSuite(ctx: GroupContext, suite: ExpectationSuite | undefined): Promise<void> {
  await ctx.db.write(async (tx) => {
    const meta = ctx.meta();
    if (meta.schema !== null && suite) {
      const names = new Set(meta.schema.map((f) => f.name));
      for (const e of suite.expectations) {
        for (const c of expectationColumns(e)) {
          if (!names.has(c)) throw new ValidationError(`${labelOf(meta)}: expectation "${e.kind}" names unknown column "${c}"`, { column: c });
        }
      }
    }
    const next: FeatureGroupMeta = { ...meta, expectations: suite };
    await updateGroupMeta(tx, next);
    tx.onCommit(() => ctx.setMeta(next));
  });
}

/** Gives a group that has no schema yet (none declared, nothing inserted) its schema and table. */
export async function defineSchema(ctx: GroupContext, schema: FeatureSpec[]): Promise<void> {
  await ctx.db.write(async (tx) => {
    const meta = ctx.meta();
    if (meta.schema !== null) throw new ConflictError(`${labelOf(meta)} already has a schema`);
    const next: FeatureGroupMeta = { ...meta, schema };
    assertDefinitionFitsSchema(next, schema);
    await updateGroupMeta(tx, next);
    await createGroupTable(tx, next);
    tx.onCommit(() => {
      ctx.setMeta(next);
      ctx.dropOnline(); // an online table loaded before the schema has no columns: reload on next lookup
    });
  });
}
