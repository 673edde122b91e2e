// deleteRecords: ends the current versions of the given keys in one commit (history stays for asOf).
import { ValidationError } from '../../core/errors.js';
import type { CommitDetails } from '../commit-log.js';
import { ident, sqlTypeOf } from '../db/values.js';
import { onlineKey } from '../online/memory-table.js';
import { INVALID, normalizeValue } from '../schema.js';
import type { FeatureGroupMeta, FeatureSpec, InputRow, Row } from '../types.js';
import { joinOn, labelOf, latestPerKeySql, type GroupContext } from './context.js';

const STAGE = 'airq_stage_keys';

/**
 * Each key names every primary-key column; with an event time it deletes that one row version,
 * without one it deletes every row of the key.
 */
export async function deleteRows(ctx: GroupContext, keys: readonly InputRow[]): Promise<CommitDetails | null> {
  if (!Array.isArray(keys)) throw new ValidationError(`${labelOf(ctx.meta())}: deleteRecords takes an array of key objects`);
  return ctx.db.write(async (tx) => {
    // Inside the write lock: a queued insert may be the one that creates the table.
    const meta = ctx.meta();
    if (meta.schema === null || keys.length === 0) return null;
    const { keySchema, staged } = stageKeys(meta, keys);
    const commit = ctx.commitClock.next(tx);
    const t = ident(meta.table);
    await tx.run(`CREATE TABLE ${STAGE} (${keySchema.map((f) => `${ident(f.name)} ${sqlTypeOf(f)}`).join(', ')})`);
    await tx.append(STAGE, keySchema, staged);
    const et = meta.eventTime === undefined ? '' : ` AND (k.${ident(meta.eventTime)} IS NULL OR t.${ident(meta.eventTime)} = k.${ident(meta.eventTime)})`;
    const deleted = await tx.run(
      `UPDATE ${t} AS t SET _valid_to = ${commit.id} FROM ${STAGE} AS k
       WHERE t._valid_to IS NULL AND ${joinOn(meta.primaryKey, 't', 'k')}${et}`,
    );
    const online = ctx.loadedOnline();
    const latest = online
      ? ((await tx.query(`${latestPerKeySql(meta, `EXISTS (SELECT 1 FROM ${STAGE} k WHERE ${joinOn(meta.primaryKey, 't', 'k')})`)}`)) as Row[])
      : [];
    await tx.run(`DROP TABLE ${STAGE}`);
    if (deleted === 0) {
      commit.release();
      return null;
    }
    const details: CommitDetails = {
      commitId: commit.id,
      featureGroup: meta.name,
      version: meta.version,
      ingestedAt: commit.ingestedAt,
      operation: 'delete',
      rowsInserted: 0,
      rowsUpdated: 0,
      rowsDeleted: deleted,
      validationSuccess: null,
      validation: null,
      statistics: null,
    };
    await ctx.commitClock.record(tx, details);
    ctx.onlineSync?.stage(tx, ctx.meta);
    tx.onCommit(() => {
      online?.replace(
        staged.map((k) => onlineKey(meta.primaryKey.map((c) => k[c] ?? null))),
        latest,
      );
    });
    return details;
  });
}

function stageKeys(meta: FeatureGroupMeta, keys: readonly InputRow[]): { keySchema: FeatureSpec[]; staged: Row[] } {
  const label = labelOf(meta);
  const types = new Map(meta.schema!.map((f) => [f.name, f.type]));
  const keySchema: FeatureSpec[] = [...meta.primaryKey, ...(meta.eventTime ? [meta.eventTime] : [])].map((name) => ({
    name,
    type: types.get(name)!,
  }));
  const staged: Row[] = keys.map((key, i) => {
    const row: Row = {};
    for (const f of keySchema) {
      const v = normalizeValue(f.type, key[f.name]);
      const isKey = f.name !== meta.eventTime;
      if (v === INVALID || (v === null && isKey)) {
        throw new ValidationError(`${label}: key ${i}, column "${f.name}" needs a ${f.type} value, got ${JSON.stringify(key[f.name])}`, {
          row: i,
          column: f.name,
        });
      }
      row[f.name] = v;
    }
    return row;
  });
  return { keySchema, staged };
}
