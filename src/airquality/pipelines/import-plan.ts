// What an import changes in a feature group, decided against the stored rows: new, updated and unchanged rows, and measured values it would null.
import { col, type FeatureGroup, type FeatureStore, type InputRow, type Row } from '../../store/index.js';

/** Per group: rows the import adds, changes and leaves as they are; stored values it nulls, and stored values it keeps over a null. */
export interface GroupChanges {
  new: number;
  updated: number;
  unchanged: number;
  /** Stored non-null values the file has as null and that are replaced by null (only with allowNulls). */
  nulled: number;
  /** Stored non-null values the file has as null and that are kept (the default). */
  kept: number;
}

export interface MergeRule {
  /** Whether a stored row holds measurements (the rule protects only those); default: every row. */
  measured?: (stored: Row) => boolean;
  /** Columns that describe another: kept with it (hours_measured and pm25_source go with pm25). */
  follows?: Readonly<Record<string, string>>;
}

/** The group `name` (version 1) if the store has it, without creating it: a dry run must not write. */
export function existingGroup(store: FeatureStore | undefined, name: string): FeatureGroup | undefined {
  return store?.listFeatureGroups().find((g) => g.name === name && g.version === 1);
}

const keyOf = (r: Row | InputRow, identity: readonly string[]) => identity.map((c) => String(r[c])).join('\u0000');

/** The current stored rows with the batch's locations (and within its dates, for dated groups), by identity. */
async function storedRows(group: FeatureGroup | undefined, rows: readonly InputRow[], identity: readonly string[]): Promise<Map<string, Row>> {
  if (!group || rows.length === 0) return new Map();
  const ids = [...new Set(rows.map((r) => r.location_id as string))];
  let q = group.selectAll().filter(col('location_id').isIn(ids));
  if (identity.includes('date')) {
    const dates = rows.map((r) => r.date as string).sort();
    q = q.filter(col('date').between(dates[0]!, dates.at(-1)!));
  }
  return new Map((await q.read()).map((r) => [keyOf(r, identity), r]));
}

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

/** One row merged with its stored version: counts into `c`, returns the row to write. */
function mergeRow(row: InputRow, stored: Row | undefined, identity: readonly string[], allowNulls: boolean, rule: MergeRule, c: GroupChanges): InputRow {
  if (!stored) {
    c.new++;
    return row;
  }
  const out: InputRow = { ...row };
  const follows = rule.follows ?? {};
  if (rule.measured?.(stored) ?? true) {
    for (const column of Object.keys(row)) {
      if (identity.includes(column) || column in follows || row[column] !== null || stored[column] === null || stored[column] === undefined) continue;
      if (allowNulls) c.nulled++;
      else {
        out[column] = stored[column] as InputRow[string];
        c.kept++;
        for (const [follower, leader] of Object.entries(follows))
          if (leader === column && follower in row) out[follower] = stored[follower] as InputRow[string];
      }
    }
  }
  const columns = new Set([...Object.keys(out), ...Object.keys(stored)]);
  if ([...columns].every((k) => same(out[k], stored[k]))) c.unchanged++;
  else c.updated++;
  return out;
}

/**
 * The rows to write for `rows` given what `group` holds (undefined: a store without the group, so all are new).
 * Unless `allowNulls`, a stored non-null value of a measured row is never replaced by a null: it is kept and counted.
 */
export async function mergeWithStored(
  group: FeatureGroup | undefined,
  rows: readonly InputRow[],
  identity: readonly string[],
  options: { allowNulls: boolean; rule?: MergeRule },
): Promise<{ rows: InputRow[]; changes: GroupChanges }> {
  const stored = await storedRows(group, rows, identity);
  const changes: GroupChanges = { new: 0, updated: 0, unchanged: 0, nulled: 0, kept: 0 };
  const out = rows.map((r) => mergeRow(r, stored.get(keyOf(r, identity)), identity, options.allowNulls, options.rule ?? {}, changes));
  return { rows: out, changes };
}

/** The rules of the air-quality groups: weather forecasts are not measurements; pm25's companions stay with it. */
export const AIR_QUALITY_RULE: MergeRule = { follows: { hours_measured: 'pm25', pm25_source: 'pm25' } };
export const WEATHER_RULE: MergeRule = { measured: (stored) => stored.is_forecast !== true };
