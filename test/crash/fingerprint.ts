// What a store holds, reduced to comparable hashes: per feature group its row count and one hash per column, plus the registry's models.
import { createHash } from 'node:crypto';
import { FeatureStore } from '../../src/store/index.js';

export interface Fingerprint {
  /** "name vN" -> row count and a hash per column (columns in `skip` left out). */
  groups: Record<string, { rows: number; columns: Record<string, string> }>;
  /** Distinct models by what training made (name, metrics, features, files), not by version or time. */
  models: string[];
  views: string[];
}

export interface FingerprintOptions {
  /** Groups left out entirely (their content legitimately differs between runs, e.g. traces). */
  skipGroups?: readonly string[];
  /** Columns left out in every group (times of day a run happened, trace ids...). */
  skipColumns?: readonly string[];
}

/** Floats rounded to 9 significant digits, so that the same computation done twice compares equal. */
const canonical = (v: unknown): unknown => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(9)) : Array.isArray(v) ? v.map(canonical) : v);

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

export async function fingerprint(dir: string, options: FingerprintOptions = {}): Promise<Fingerprint> {
  const store = await FeatureStore.open({ dir, readOnly: true, wait: { waitMs: 30_000 } });
  try {
    const skipColumns = new Set(options.skipColumns ?? []);
    const groups: Fingerprint['groups'] = {};
    for (const fg of store.listFeatureGroups()) {
      if (options.skipGroups?.includes(fg.name)) continue;
      const identity = [...fg.primaryKey, ...(fg.eventTime ? [fg.eventTime] : [])];
      const rows = (await fg.read())
        .map((r) => ({ id: JSON.stringify(identity.map((c) => r[c])), r }))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const columns: Record<string, string> = {};
      for (const f of fg.meta.schema ?? []) {
        if (!skipColumns.has(f.name)) columns[f.name] = hash(JSON.stringify(rows.map((x) => canonical(x.r[f.name] ?? null))));
      }
      groups[`${fg.name} v${fg.version}`] = { rows: rows.length, columns };
    }
    const models = [
      ...new Set(store.registry.list().map((m) => JSON.stringify([m.name, canonical(Object.entries(m.metrics).sort()), m.meta.features, m.meta.files]))),
    ].sort();
    const views = store.listFeatureViews().map((v) => `${v.name} v${v.version}`);
    return { groups, models, views };
  } finally {
    await store.close();
  }
}

/** The differences between two fingerprints, one line each (empty when they match). */
export function differences(want: Fingerprint, got: Fingerprint): string[] {
  const out: string[] = [];
  for (const name of new Set([...Object.keys(want.groups), ...Object.keys(got.groups)])) {
    const a = want.groups[name];
    const b = got.groups[name];
    if (!a || !b) {
      out.push(`${name}: ${a ? 'missing after the re-run' : 'not in the uninterrupted run'}`);
      continue;
    }
    if (a.rows !== b.rows) out.push(`${name}: ${b.rows} rows, the uninterrupted run has ${a.rows}`);
    const cols = Object.keys(a.columns).filter((c) => a.columns[c] !== b.columns[c]);
    if (cols.length > 0) out.push(`${name}: values differ in ${cols.join(', ')}`);
  }
  if (JSON.stringify(want.models) !== JSON.stringify(got.models)) out.push(`models differ: ${JSON.stringify(got.models)} vs ${JSON.stringify(want.models)}`);
  if (JSON.stringify(want.views) !== JSON.stringify(got.views)) out.push(`feature views differ: ${got.views.join(', ')} vs ${want.views.join(', ')}`);
  return out;
}
