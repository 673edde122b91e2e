// Training dataset versions: read the view as of one commit, split (random with a seed, or by time),
// fit transformations on the training split only, and re-create any version exactly later.
import { ValidationError } from '../../core/errors.js';
import type { Database } from '../db/database.js';
import { and, col, type Filter } from '../query/filter.js';
import type { Query } from '../query/query.js';
import type { FeatureGroupMeta, FeatureValue, Row } from '../types.js';
import { insertTrainingDataset, listTrainingDatasets } from './catalog.js';
import { frameOf, valueAt, type Frame, type RowsOrColumns, type StoredColumn } from './frame.js';
import { layoutOf, Transformer, type Layout } from './layout.js';
import type { FeatureViewDefinition, SplitSpec, TimeRange, TrainingDatasetDefinition, TrainingDatasetInfo } from './schema.js';
import type { TransformationRegistry } from './transformations.js';

export interface Split {
  features: Row[];
  labels: Row[];
  /** Training helper columns, when asked for. */
  helpers?: Row[];
}
/** A split as columns (`returnType: 'columns'`): no object per row. */
export interface ColumnSplit {
  features: Frame;
  labels: Frame;
  helpers?: Frame;
}
/** What a split is for each return type. */
export type SplitOf<R extends RowsOrColumns> = R extends 'columns' ? ColumnSplit : Split;
export type SplitName = 'train' | 'validation' | 'test';

export interface ViewSource {
  db: Database;
  name: string;
  version: number;
  definition: FeatureViewDefinition;
  registry: TransformationRegistry;
  /** A fresh query built from the view's definition. */
  query(): Query;
}

export interface TrainingDataRequest {
  split: SplitSpec;
  startTime?: string;
  endTime?: string;
  extraFilter?: Filter;
}

function rootOf(view: ViewSource): FeatureGroupMeta {
  return view.query().source.meta();
}

function timeFilter(root: FeatureGroupMeta, range: TimeRange): Filter[] {
  if (range.start === undefined && range.end === undefined) return [];
  if (root.eventTime === undefined) {
    throw new ValidationError(`time ranges need an event time, and ${root.name} v${root.version} has none`);
  }
  const out: Filter[] = [];
  if (range.start !== undefined) out.push(col(root.eventTime).ge(range.start));
  if (range.end !== undefined) out.push(col(root.eventTime).le(range.end));
  return out;
}

/** Rows of a columnar read, by index: a split is the rows `index` of `columns`, in that order. */
interface RawSplit {
  column: Map<string, StoredColumn>;
  index: number[];
}

/** How to read: for columns, numbers typed and only the columns the splits return. */
interface ReadMode {
  typed: boolean;
  columns?: string[];
}

function readModeFor(view: ViewSource, returnType: RowsOrColumns, layout: Layout, withHelpers: boolean): ReadMode {
  if (returnType === 'rows') return { typed: false };
  // Transformations are fitted on the columns they name, which may be keys or helpers, not only features.
  const wanted = [...layout.features, ...layout.labels, ...(withHelpers ? layout.trainingHelpers : []), ...Object.keys(view.definition.transformations)];
  const columns = [...new Set(wanted)];
  return { typed: true, columns: columns.length > 0 ? columns : undefined };
}

async function readRaw(view: ViewSource, snapshot: number, filters: Filter[], mode: ReadMode): Promise<RawSplit> {
  let q = view.query().asOf(snapshot);
  if (filters.length > 0) q = q.filter(filters.length === 1 ? filters[0]! : and(...filters));
  const cols = await q.readColumns(mode);
  return { column: new Map(cols.names.map((n, i) => [n, cols.values[i]!])), index: Array.from({ length: cols.rowCount }, (_, i) => i) };
}

/** Seeded, deterministic shuffle (mulberry32 + Fisher-Yates) of 0..n-1. */
function shuffled(n: number, seed: number): number[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx;
}

/** The raw rows of each split (of `only` when given: a temporal split reads no other), each in the query's order. */
async function readSplits(
  view: ViewSource,
  def: Omit<TrainingDatasetDefinition, 'transformationState' | 'featureNames' | 'rowCounts' | 'sourceCommits'>,
  mode: ReadMode,
  only?: SplitName,
) {
  const root = rootOf(view);
  const base = [...timeFilter(root, { start: def.startTime, end: def.endTime }), ...(def.extraFilter ? [def.extraFilter] : [])];
  const split = def.split;
  const out: Partial<Record<SplitName, RawSplit>> = {};
  if (split.kind === 'none') {
    out.train = await readRaw(view, def.snapshotCommit, base, mode);
  } else if (split.kind === 'temporal') {
    const wanted = (name: SplitName) => only === undefined || only === name;
    if (wanted('train')) out.train = await readRaw(view, def.snapshotCommit, [...base, ...timeFilter(root, split.train)], mode);
    if (split.validation && wanted('validation')) {
      out.validation = await readRaw(view, def.snapshotCommit, [...base, ...timeFilter(root, split.validation)], mode);
    }
    if (wanted('test')) out.test = await readRaw(view, def.snapshotCommit, [...base, ...timeFilter(root, split.test)], mode);
  } else {
    const all = await readRaw(view, def.snapshotCommit, base, mode);
    const n = all.index.length;
    const order = shuffled(n, split.seed);
    const nTest = Math.round(n * split.testSize);
    const nVal = Math.round(n * (split.validationSize ?? 0));
    const part = (from: number, to: number): RawSplit => ({ column: all.column, index: order.slice(from, to).sort((x, y) => x - y) });
    // Assigned in train, validation, test order so row counts read naturally.
    out.train = part(nTest + nVal, n);
    if (split.validationSize !== undefined) out.validation = part(nTest, nTest + nVal);
    out.test = part(0, nTest);
  }
  return out;
}

async function sourceCommits(db: Database, groups: FeatureGroupMeta[], snapshot: number) {
  return Promise.all(
    groups.map(async (g) => {
      const [r] = await db.query('SELECT coalesce(max(commit_id), 0) AS c FROM airq_commits WHERE fg_name = $1 AND fg_version = $2 AND commit_id <= $3', [
        g.name,
        g.version,
        BigInt(snapshot),
      ]);
      return { featureGroup: g.name, version: g.version, commitId: Number(r?.c ?? 0) };
    }),
  );
}

function valuesOf(raw: RawSplit, name: string): FeatureValue[] {
  const values = raw.column.get(name);
  return raw.index.map((i) => valueAt(values, i));
}

/** Rows `index` of the given columns, as objects. */
function pickRows(raw: RawSplit, columns: readonly string[]): Row[] {
  const arrays = columns.map((c) => raw.column.get(c));
  return raw.index.map((i) => {
    const out: Row = {};
    columns.forEach((c, k) => (out[c] = valueAt(arrays[k], i)));
    return out;
  });
}

function toSplit(raw: RawSplit, layout: Layout, transformer: Transformer, withHelpers: boolean, returnType: RowsOrColumns): Split | ColumnSplit {
  const column = (name: string) => raw.column.get(name);
  if (returnType === 'columns') {
    const frames: ColumnSplit = { features: transformer.transformToFrame(column, raw.index), labels: frameOf(column, layout.labels, raw.index) };
    if (withHelpers) frames.helpers = frameOf(column, layout.trainingHelpers, raw.index);
    return frames;
  }
  const split: Split = {
    features: transformer.transformColumns((name) => raw.column.get(name) as unknown[] | undefined, raw.index),
    labels: pickRows(raw, layout.labels),
  };
  if (withHelpers) split.helpers = pickRows(raw, layout.trainingHelpers);
  return split;
}

export async function layoutOfView(view: ViewSource): Promise<Layout> {
  const q = view.query();
  return layoutOf(view.definition, await q.columns(), q.source.meta());
}

/** What to return: helper columns or not, rows or columns. */
export interface ReturnShape {
  withHelpers: boolean;
  returnType: RowsOrColumns;
}

/** Creates and saves the next training dataset version, and returns it with its data. */
export async function createTrainingDataset(view: ViewSource, request: TrainingDataRequest, shape: ReturnShape) {
  const [r] = await view.db.query('SELECT coalesce(max(commit_id), 0) AS c FROM airq_commits');
  const snapshotCommit = Number(r?.c ?? 0);
  const base = { split: request.split, startTime: request.startTime, endTime: request.endTime, extraFilter: request.extraFilter, snapshotCommit };
  const layout = await layoutOfView(view);
  const raw = await readSplits(view, base, readModeFor(view, shape.returnType, layout, shape.withHelpers));
  const train = raw.train;
  const transformationState = Transformer.fit(view.definition, view.registry, (f) => (train ? valuesOf(train, f) : []));
  const transformer = new Transformer(layout, view.definition, view.registry, transformationState);
  const def: TrainingDatasetDefinition = {
    ...base,
    sourceCommits: await sourceCommits(view.db, view.query().groups(), snapshotCommit),
    transformationState,
    featureNames: transformer.featureNames,
    rowCounts: Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.index.length])),
  };
  // The same request over the same source commits is the same data: reuse that version rather than add one.
  const same = (await listTrainingDatasets(view.db, view.name, view.version)).find((t) => sameData(t, def));
  const info = same ?? (await view.db.write((tx) => insertTrainingDataset(tx, view.name, view.version, def)));
  return { info, splits: mapSplits(raw, (rows) => toSplit(rows, layout, transformer, shape.withHelpers, shape.returnType)) };
}

/** Whether a saved version holds exactly what `def` describes (its snapshot may be older: later commits touched no source group). */
function sameData(saved: TrainingDatasetInfo, def: TrainingDatasetDefinition): boolean {
  const comparable = (d: TrainingDatasetDefinition) =>
    canonical([d.split, d.startTime ?? null, d.endTime ?? null, d.extraFilter ?? null, d.sourceCommits, d.transformationState, d.featureNames, d.rowCounts]);
  return comparable(saved) === comparable(def);
}

/** JSON with object keys sorted and undefined members dropped, so equal values give equal text. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v)
            .filter(([, x]) => x !== undefined)
            .sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/** Re-creates a saved version (or only its split `only`): same snapshot, same split, same saved transformation state. */
export async function materializeTrainingDataset(view: ViewSource, info: TrainingDatasetInfo, shape: ReturnShape, only?: SplitName) {
  const layout = await layoutOfView(view);
  const raw = await readSplits(view, info, readModeFor(view, shape.returnType, layout, shape.withHelpers), only);
  if (only !== undefined) for (const name of Object.keys(raw) as SplitName[]) if (name !== only) delete raw[name];
  const transformer = new Transformer(layout, view.definition, view.registry, info.transformationState);
  return mapSplits(raw, (rows) => toSplit(rows, layout, transformer, shape.withHelpers, shape.returnType));
}

function mapSplits(raw: Partial<Record<SplitName, RawSplit>>, f: (rows: RawSplit) => Split | ColumnSplit): Partial<Record<SplitName, Split | ColumnSplit>> {
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, f(v)])) as Partial<Record<SplitName, Split | ColumnSplit>>;
}
