// The latest date per key in rows read from a group (a place's last observation, last issue date): one pass, no per-place query.

/** key value -> the greatest `value` (an ISO date or any sortable string) among its rows; rows without one are skipped. */
export function latestBy(rows: readonly Record<string, unknown>[], key: string, value: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const r of rows) {
    const k = r[key] as string;
    const v = r[value];
    if (typeof v === 'string' && (m.get(k) ?? '') < v) m.set(k, v);
  }
  return m;
}
