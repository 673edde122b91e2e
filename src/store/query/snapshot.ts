// Which row versions a read sees: the current state, the state after a commit, or the changes between two commits.

/**
 * Each stored row version carries `_commit_id` (the commit that wrote it) and `_valid_to` (the commit
 * that replaced or deleted it, null while current). A snapshot is a condition on those two columns.
 */
export interface Snapshot {
  /** Rows as they were right after this commit; undefined = now. */
  asOf?: number;
  /** Only versions written after this commit (incremental reads); undefined = from the beginning. */
  after?: number;
}

export function snapshotCondition(s: Snapshot, alias = ''): string {
  const p = alias ? `${alias}.` : '';
  const parts: string[] = [];
  if (s.asOf === undefined) parts.push(`${p}_valid_to IS NULL`);
  else parts.push(`${p}_commit_id <= ${s.asOf}`, `(${p}_valid_to IS NULL OR ${p}_valid_to > ${s.asOf})`);
  if (s.after !== undefined) parts.push(`${p}_commit_id > ${s.after}`);
  // The ids are integers resolved by the store (never user text), so they are inlined.
  return parts.join(' AND ');
}
