// Insert = upsert on (primary key, event time) as one atomic commit, validated before anything is kept.
import { ValidationError } from '../../core/errors.js';
import type { CommitDetails } from '../commit-log.js';
import type { WriteTx } from '../db/database.js';
import { ident, sqlLiteral } from '../db/values.js';
import { evaluateSuite } from '../expectations/evaluate.js';
import { describeExpectation, type ValidationReport } from '../expectations/schema.js';
import { createGroupTable, updateGroupMeta } from '../catalog.js';
import { inferSchema, normalizeRows } from '../schema.js';
import { computeStatistics } from '../statistics.js';
import type { FeatureGroupMeta, InputRow, Row } from '../types.js';
import { identityColumns, joinOn, labelOf, type GroupContext } from './context.js';
import { assertDefinitionFitsSchema } from './definition-check.js';

/** Keeps the last row for each identity: within one batch, a later row wins, as in an upsert. */
function lastWins(rows: Row[], identity: readonly string[]): Row[] {
  const byKey = new Map<string, Row>();
  // Identity values are normalised non-null scalars of fixed types, so joining their text is unambiguous
  // with a separator that a key value cannot be confused with.
  for (const row of rows) {
    let key = '';
    for (const c of identity) key += `${row[c] as string | number | boolean}\u0000`;
    byKey.set(key, row);
  }
  return byKey.size === rows.length ? rows : [...byKey.values()];
}

function failureMessage(label: string, report: ValidationReport): string {
  const failed = report.results.filter((r) => !r.success);
  const parts = failed.map((r) => {
    const first = r.sample[0];
    const where = first ? ` (first at row ${first.row}: ${JSON.stringify(first.value)})` : '';
    return `${describeExpectation(r.expectation)}: ${r.unexpectedCount} of ${r.elementCount} failed${where}`;
  });
  return `${label}: insert rejected by expectation suite "${report.suite}" (STRICT), nothing was written: ${parts.join('; ')}`;
}

/** Rows already current in the table that clash with this commit's rows on `columns` (and that it does not replace). */
async function tableDuplicates(tx: WriteTx, meta: FeatureGroupMeta, commitId: number, columns: string[], batch: Row[]) {
  const t = ident(meta.table);
  const identity = identityColumns(meta);
  const sql = `
    WITH fresh AS (SELECT * FROM ${t} WHERE _commit_id = ${commitId}),
    kept AS (SELECT * FROM ${t} cur WHERE cur._valid_to IS NULL AND cur._commit_id < ${commitId}
             AND NOT EXISTS (SELECT 1 FROM fresh f WHERE ${joinOn(identity, 'f', 'cur')}))
    SELECT ${columns.map((c) => `fresh.${ident(c)}`).join(', ')} FROM fresh JOIN kept ON ${joinOn(columns, 'fresh', 'kept')}`;
  const clashes = await tx.query(sql);
  const sample = clashes.slice(0, 5).map((r) => {
    const value = columns.length === 1 ? r[columns[0]!] : columns.map((c) => r[c]);
    const row = batch.findIndex((b) => columns.every((c) => b[c] === r[c]));
    return { row, value };
  });
  return { count: clashes.length, sample };
}

/**
 * A condition that keeps `cur`'s rows within the batch's event times: a row outside them cannot share an
 * identity with the batch, and DuckDB skips whole row groups by their min/max, so a batch of recent days
 * does not read the whole history. Empty when the group has no event time.
 */
function withinBatchTimes(meta: FeatureGroupMeta, rows: readonly Row[]): string {
  const et = meta.eventTime;
  if (et === undefined || rows.length === 0) return '';
  // Dates and timestamps are normalised to ISO text, whose text order is time order for years 0000-9999 (one
  // length, no sign). A batch with a year outside them (+010000-..., -000001-...) is not narrowed.
  let lo = rows[0]![et] as string;
  let hi = lo;
  for (const r of rows) {
    const v = r[et] as string;
    if (v.length !== lo.length || v[0] === '+' || v[0] === '-') return '';
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  const type = meta.schema!.find((f) => f.name === et)!.type;
  return ` AND cur.${ident(et)} BETWEEN ${sqlLiteral(type, lo)} AND ${sqlLiteral(type, hi)}`;
}

/**
 * Deletes this commit's rows that equal the current row of their identity. The current rows are first narrowed
 * to the batch's identities (a semi-join on the identity columns only), then joined on the identity, and only
 * then are the other columns compared, in an expression that cannot become a hash key: hashing every column
 * (or DuckDB's decorrelated EXISTS, which groups the batch on every column) cost 3-30x as much on wide rows
 * such as embeddings.
 */
function unchangedRowsSql(meta: FeatureGroupMeta, commitId: number, recent: string): string {
  const t = ident(meta.table);
  const identity = identityColumns(meta);
  const ids = identity.map(ident).join(', ');
  const others = meta.schema!.filter((f) => !identity.includes(f.name));
  const differs = others.map((f) => `cur.${ident(f.name)} IS DISTINCT FROM fresh.${ident(f.name)}`).join(' OR ');
  return `DELETE FROM ${t} WHERE rowid IN (
    SELECT fresh.rowid FROM ${t} AS fresh JOIN (
      SELECT * FROM ${t} AS cur WHERE cur._valid_to IS NULL AND cur._commit_id < ${commitId}${recent}
        AND (${ids}) IN (SELECT (${ids}) FROM ${t} WHERE _commit_id = ${commitId})
    ) AS cur ON ${joinOn(identity, 'cur', 'fresh')}
    WHERE fresh._commit_id = ${commitId}${others.length > 0 ? ` AND NOT (${differs})` : ''})`;
}

interface Prepared {
  before: FeatureGroupMeta;
  meta: FeatureGroupMeta;
  rows: Row[];
  unique: Row[];
}

/** Checks and normalises the batch against a definition. */
function prepare(before: FeatureGroupMeta, input: readonly InputRow[]): Prepared {
  const label = labelOf(before);
  const schema = before.schema ?? inferSchema(label, input);
  const meta: FeatureGroupMeta = { ...before, schema };
  if (before.schema === null) assertDefinitionFitsSchema(meta, schema);
  const rows = normalizeRows(label, schema, input, identityColumns(meta));
  return { before, meta, rows, unique: lastWins(rows, identityColumns(meta)) };
}

export async function insertRows(ctx: GroupContext, input: readonly InputRow[]): Promise<CommitDetails | null> {
  const label = labelOf(ctx.meta());
  if (!Array.isArray(input)) throw new ValidationError(`${label}: insert takes an array of row objects`);
  return ctx.db.write(async (tx) => {
    // Checked inside the write lock, against the definition of the moment, just before the rows are written:
    // normalizing may hand back the caller's own row objects (no copy), so a caller that changes its rows after
    // calling insert (without awaiting it) cannot slip unchecked values past the checks while the write waits.
    const p = prepare(ctx.meta(), input);
    const { before, meta, rows, unique } = p;
    const schema = meta.schema!;
    const identity = identityColumns(meta);
    if (before.schema === null) {
      await updateGroupMeta(tx, meta);
      await createGroupTable(tx, meta);
    }
    const commit = ctx.commitClock.next(tx);
    const t = ident(meta.table);
    await tx.append(meta.table, schema, unique, [{ value: BigInt(commit.id) }, { value: null }]);

    let report: ValidationReport | null = null;
    if (meta.expectations) {
      report = await evaluateSuite(meta.expectations, rows, (cols) => tableDuplicates(tx, meta, commit.id, cols, rows));
      if (!report.success && meta.expectations.policy === 'STRICT') {
        throw new ValidationError(failureMessage(label, report), { report });
      }
    }
    // A row identical to the current version of its key is not a change: drop it, so that re-running
    // a pipeline writes nothing new (and a batch of only such rows makes no commit at all).
    const recent = withinBatchTimes(meta, unique);
    const unchanged = before.schema === null ? 0 : await tx.run(unchangedRowsSql(meta, commit.id, recent));
    const changed = unique.length - unchanged;
    if (changed === 0 && before.schema !== null) {
      commit.release(); // nothing to commit: the id goes to the next write
      return null;
    }

    const updated = await tx.run(
      `UPDATE ${t} AS cur SET _valid_to = ${commit.id}
       FROM (SELECT ${identity.map(ident).join(', ')} FROM ${t} WHERE _commit_id = ${commit.id}) AS fresh
       WHERE cur._valid_to IS NULL AND cur._commit_id < ${commit.id}${recent} AND ${joinOn(identity, 'cur', 'fresh')}`,
    );
    const statistics = await computeStatistics(tx.query, schema, `FROM ${t} WHERE _commit_id = ${commit.id}`);
    const details: CommitDetails = {
      commitId: commit.id,
      featureGroup: meta.name,
      version: meta.version,
      ingestedAt: commit.ingestedAt,
      operation: 'insert',
      rowsInserted: changed - updated,
      rowsUpdated: updated,
      rowsDeleted: 0,
      validationSuccess: report === null ? null : report.success,
      validation: report,
      statistics,
    };
    await ctx.commitClock.record(tx, details);
    ctx.onlineSync?.stage(tx, ctx.meta);
    tx.onCommit(() => {
      if (before.schema === null) {
        ctx.setMeta(meta);
        ctx.dropOnline(); // an online table loaded before the group had a schema has no columns: reload on next lookup
      } else ctx.loadedOnline()?.upsert(unique);
    });
    return details;
  });
}
