// A feature view: a versioned selection of features and labels over joined feature groups, with training
// dataset versions, model-dependent transformations, batch scoring data and online feature vectors.
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { parseOrThrow } from '../../core/validate.js';
import type { FeatureGroup } from '../feature-group.js';
import { and, col, FilterSchema, or, type Filter } from '../query/filter.js';
import type { Query } from '../query/query.js';
import type { InputValue, Row } from '../types.js';
import type { NeighborOptions } from '../vector/neighbors.js';
import { listTrainingDatasets } from './catalog.js';
import { pick, Transformer, type Layout } from './layout.js';
import { SplitSpecSchema, type FeatureViewDefinition, type SplitSpec, type TrainingDatasetInfo } from './schema.js';
import { OnlineServer, type BatchVectorOptions, type FeatureVector, type VectorOptions } from './serving.js';
import { frameOf, type Frame, type RowsOrColumns, type StoredColumn } from './frame.js';
import { createTrainingDataset, layoutOfView, materializeTrainingDataset, type SplitName, type SplitOf, type ViewSource } from './training-data.js';

export interface ReadOptions<R extends RowsOrColumns = 'rows'> {
  startTime?: string;
  endTime?: string;
  extraFilter?: Filter;
  includeTrainingHelperColumns?: boolean;
  /** `rows` (default): an object per row; `columns`: frames of columns, numbers in Float64Arrays (NaN = missing). */
  returnType?: R;
}
export type TrainingData<R extends RowsOrColumns = 'rows'> = SplitOf<R> & { version: number };
export type TrainTestSplit<R extends RowsOrColumns = 'rows'> = { version: number; train: SplitOf<R>; test: SplitOf<R> };
export type TrainValidationTestSplit<R extends RowsOrColumns = 'rows'> = TrainTestSplit<R> & { validation: SplitOf<R> };
/** Reading a saved version: with its helper columns or not, as rows or columns. */
export type SavedReadOptions<R extends RowsOrColumns = 'rows'> = Pick<ReadOptions<R>, 'includeTrainingHelperColumns' | 'returnType'>;

const ReturnTypeSchema = z.enum(['rows', 'columns']).default('rows');

function shapeOf(options: SavedReadOptions<RowsOrColumns>) {
  const returnType = parseOrThrow(ReturnTypeSchema, options.returnType, 'returnType');
  return { withHelpers: options.includeTrainingHelperColumns ?? false, returnType };
}

export type RandomSplit = { testSize: number; seed: number };
export type TemporalSplit = { trainStart?: string; trainEnd?: string; testStart?: string; testEnd?: string };

export interface BatchData {
  /** Root primary key and event time of each row, to attach predictions to. */
  keys: Row[];
  features: Row[];
  helpers?: Row[];
}
/** Batch data as columns (`returnType: 'columns'`): numbers in Float64Arrays, NaN where missing. */
export interface ColumnBatchData {
  keys: Frame;
  features: Frame;
  helpers?: Frame;
}
export type BatchDataOf<R extends RowsOrColumns> = R extends 'columns' ? ColumnBatchData : BatchData;

/** Which rows of the view to score: a time range of the label group, and/or a list of its entities. */
export interface BatchOptions<R extends RowsOrColumns = 'rows'> {
  startTime?: string;
  endTime?: string;
  entities?: readonly Readonly<Record<string, InputValue>>[];
  includeInferenceHelperColumns?: boolean;
  returnType?: R;
}

/** Batch data from rows (rows mode), or from the columns a read returned, at rows `index` (columns mode). */
function batchOf<R extends RowsOrColumns>(
  returnType: R,
  rowsOrIndex: Row[] | number[],
  column: ((name: string) => StoredColumn | undefined) | undefined,
  keyColumns: string[],
  transformer: Transformer,
  helpers: string[] | undefined,
): BatchDataOf<R> {
  if (returnType === 'columns') {
    const [index, get] = [rowsOrIndex as number[], column ?? (() => undefined)];
    const out: ColumnBatchData = { keys: frameOf(get, keyColumns, index), features: transformer.transformToFrame(get, index) };
    if (helpers) out.helpers = frameOf(get, helpers, index);
    return out as BatchDataOf<R>;
  }
  const rows = rowsOrIndex as Row[];
  const out: BatchData = { keys: rows.map((r) => pick(r, keyColumns)), features: rows.map((r) => transformer.transform(r)) };
  if (helpers) out.helpers = rows.map((r) => pick(r, helpers));
  return out as BatchDataOf<R>;
}

export class FeatureView {
  private server: OnlineServer | undefined;
  private batchVersion: TrainingDatasetInfo | null | undefined;

  constructor(
    private readonly src: ViewSource,
    readonly createdAt: string,
    private readonly groupOf: (name: string, version: number) => FeatureGroup,
  ) {}

  get name(): string {
    return this.src.name;
  }
  get version(): number {
    return this.src.version;
  }
  get definition(): Readonly<FeatureViewDefinition> {
    return this.src.definition;
  }
  get labels(): readonly string[] {
    return this.src.definition.labels;
  }
  /** A fresh query over the view's groups, to read or extend. */
  query(): Query {
    return this.src.query();
  }

  // ---- training data ---------------------------------------------------------------------------

  async trainingData<R extends RowsOrColumns = 'rows'>(options: ReadOptions<R> = {}): Promise<TrainingData<R>> {
    const { info, splits } = await this.create<R>({ kind: 'none' }, options);
    return { version: info.version, ...splits.train! };
  }

  /** Random ({ testSize, seed }) or temporal ({ trainStart, trainEnd, testStart, testEnd }, inclusive) split. */
  async trainTestSplit<R extends RowsOrColumns = 'rows'>(split: RandomSplit | TemporalSplit, options: ReadOptions<R> = {}): Promise<TrainTestSplit<R>> {
    const spec: SplitSpec =
      'testSize' in split
        ? { kind: 'random', testSize: split.testSize, seed: split.seed }
        : { kind: 'temporal', train: { start: split.trainStart, end: split.trainEnd }, test: { start: split.testStart, end: split.testEnd } };
    const { info, splits } = await this.create<R>(spec, options);
    return { version: info.version, train: splits.train!, test: splits.test! };
  }

  async trainValidationTestSplit<R extends RowsOrColumns = 'rows'>(
    split: (RandomSplit & { validationSize: number }) | (TemporalSplit & { validationStart?: string; validationEnd?: string }),
    options: ReadOptions<R> = {},
  ): Promise<TrainValidationTestSplit<R>> {
    const spec: SplitSpec =
      'testSize' in split
        ? { kind: 'random', testSize: split.testSize, validationSize: split.validationSize, seed: split.seed }
        : {
            kind: 'temporal',
            train: { start: split.trainStart, end: split.trainEnd },
            validation: { start: split.validationStart, end: split.validationEnd },
            test: { start: split.testStart, end: split.testEnd },
          };
    const { info, splits } = await this.create<R>(spec, options);
    return { version: info.version, train: splits.train!, validation: splits.validation!, test: splits.test! };
  }

  private async create<R extends RowsOrColumns>(split: SplitSpec, options: ReadOptions<R>) {
    const request = {
      split: parseOrThrow(SplitSpecSchema, split, 'split'),
      startTime: options.startTime,
      endTime: options.endTime,
      extraFilter: parseOrThrow(FilterSchema.optional(), options.extraFilter, 'extraFilter'),
    };
    const { info, splits } = await createTrainingDataset(this.src, request, shapeOf(options));
    return { info, splits: splits as Partial<Record<SplitName, SplitOf<R>>> };
  }

  /** Every training dataset version of this view, oldest first. */
  trainingDatasets(): Promise<TrainingDatasetInfo[]> {
    return listTrainingDatasets(this.src.db, this.name, this.version);
  }

  async trainingDataset(version: number): Promise<TrainingDatasetInfo> {
    const all = await this.trainingDatasets();
    const td = all.find((t) => t.version === version);
    if (!td) {
      throw new NotFoundError(
        `feature view ${this.name} v${this.version} has no training dataset version ${version}` +
          (all.length ? `; versions: ${all.map((t) => t.version).join(', ')}` : '; create one with trainingData() or a split'),
      );
    }
    return td;
  }

  /** Re-creates a saved version exactly (same rows, same split, same transformation state). */
  async getTrainingData<R extends RowsOrColumns = 'rows'>(version: number, options: SavedReadOptions<R> = {}): Promise<TrainingData<R>> {
    const splits = await materializeTrainingDataset(this.src, await this.trainingDataset(version), shapeOf(options));
    return { version, ...(splits.train! as SplitOf<R>) };
  }

  async getTrainTestSplit<R extends RowsOrColumns = 'rows'>(
    version: number,
    options: SavedReadOptions<R> = {},
  ): Promise<TrainValidationTestSplit<R> | TrainTestSplit<R>> {
    const info = await this.trainingDataset(version);
    if (info.split.kind === 'none') throw new ValidationError(`training dataset version ${version} was not split; use getTrainingData`);
    const splits = (await materializeTrainingDataset(this.src, info, shapeOf(options))) as Partial<Record<SplitName, SplitOf<R>>>;
    return { version, train: splits.train!, test: splits.test!, ...(splits.validation ? { validation: splits.validation } : {}) };
  }

  /** The splits of a saved version by name (only `train` when it was not split; only `split` when given), re-created exactly. */
  async getSplits<R extends RowsOrColumns = 'rows'>(
    version: number,
    options: SavedReadOptions<R> & { split?: SplitName } = {},
  ): Promise<Partial<Record<SplitName, SplitOf<R>>>> {
    const splits = await materializeTrainingDataset(this.src, await this.trainingDataset(version), shapeOf(options), options.split);
    return splits as Partial<Record<SplitName, SplitOf<R>>>;
  }

  // ---- serving -----------------------------------------------------------------------------------

  /** The training dataset version whose transformation state serving and batch scoring use. */
  private async stateFor(version: number | undefined): Promise<TrainingDatasetInfo | null> {
    if (version !== undefined) return this.trainingDataset(version);
    const all = await this.trainingDatasets();
    const latest = all[all.length - 1];
    if (latest) return latest;
    if (Object.keys(this.src.definition.transformations).length > 0) {
      throw new ValidationError(
        `feature view ${this.name} v${this.version} has transformations but no training data yet; their state comes from a training split`,
      );
    }
    return null;
  }

  private async transformer(td: TrainingDatasetInfo | null, layout?: Layout): Promise<Transformer> {
    return new Transformer(layout ?? (await layoutOfView(this.src)), this.src.definition, this.src.registry, td?.transformationState ?? {});
  }

  /** Prepares online serving with a training dataset version's transformations (default: the latest). */
  async initServing(trainingDatasetVersion?: number): Promise<void> {
    const td = await this.stateFor(trainingDatasetVersion);
    const label = `feature view ${this.name} v${this.version}`;
    this.server = await OnlineServer.init(this.src.query(), this.groupOf, await this.transformer(td), label);
  }

  /** The model-ready vector for one entity (the root group's primary key), from the online store. */
  async getFeatureVector(entry: Readonly<Record<string, InputValue>>, options: VectorOptions = {}): Promise<FeatureVector> {
    if (!this.server) await this.initServing();
    return this.server!.vector(entry, options);
  }

  /** Vectors for many entities, in their order: one batched lookup per joined group (with Redis, one round trip each). */
  async getFeatureVectors(entries: readonly Readonly<Record<string, InputValue>>[], options: VectorOptions = {}): Promise<FeatureVector[]> {
    if (!this.server) await this.initServing();
    return this.server!.vectors(entries, options);
  }

  /**
   * Vectors for many entities in one batched lookup per joined group, where an entity with no online row is undefined
   * (Feast's NOT_FOUND status) rather than an error; `perEntity[i]` adds passed features for `entries[i]`.
   */
  async findFeatureVectors(entries: readonly Readonly<Record<string, InputValue>>[], options: BatchVectorOptions = {}): Promise<(FeatureVector | undefined)[]> {
    if (!this.server) await this.initServing();
    return this.server!.find(entries, options);
  }

  /** The feature names of served vectors, in training order. */
  async featureNames(): Promise<string[]> {
    if (!this.server) await this.initServing();
    return this.server!.featureNames;
  }

  /**
   * Nearest neighbours by the root group's embedding column, returned as the view's (transformed)
   * features for each neighbour, nearest first, with their keys and distances.
   */
  async findNeighbors(query: string | ArrayLike<number>, options: NeighborOptions = {}): Promise<{ keys: Row; features: Row; distance: number }[]> {
    const root = this.src.query().source.meta();
    const hits = await this.groupOf(root.name, root.version).findNeighbors(query, { ...options, keysOnly: false });
    if (hits.length === 0) return [];
    const batch = await this.getBatchData({ entities: hits.map((h) => Object.fromEntries(root.primaryKey.map((k, i) => [k, h.key[i] ?? null]))) });
    // With an event time a key has many rows: the index holds the latest, so that is the one returned.
    const at = new Map<string, number>();
    const et = root.eventTime;
    batch.keys.forEach((k, i) => {
      const id = JSON.stringify(root.primaryKey.map((c) => k[c]));
      const seen = at.get(id);
      if (seen === undefined || (et !== undefined && String(k[et]) > String(batch.keys[seen]![et]))) at.set(id, i);
    });
    return hits.flatMap((h) => {
      const i = at.get(JSON.stringify(h.key));
      return i === undefined ? [] : [{ keys: batch.keys[i]!, features: batch.features[i]!, distance: h.distance }];
    });
  }

  async initBatchScoring(trainingDatasetVersion?: number): Promise<void> {
    this.batchVersion = await this.stateFor(trainingDatasetVersion);
  }

  /** Transformed features of the current data, for a time range of the root event time and/or a list of entities. */
  async getBatchData<R extends RowsOrColumns = 'rows'>(options: BatchOptions<R> = {}): Promise<BatchDataOf<R>> {
    const returnType = shapeOf(options).returnType as R;
    if (this.batchVersion === undefined) await this.initBatchScoring();
    const layout = await layoutOfView(this.src);
    const transformer = await this.transformer(this.batchVersion ?? null, layout);
    const root = this.src.query().source.meta();
    const filters: Filter[] = [];
    if (options.startTime !== undefined || options.endTime !== undefined) {
      if (root.eventTime === undefined) throw new ValidationError(`batch time ranges need an event time on ${root.name}`);
      if (options.startTime !== undefined) filters.push(col(root.eventTime).ge(options.startTime));
      if (options.endTime !== undefined) filters.push(col(root.eventTime).le(options.endTime));
    }
    const keyColumns = [...root.primaryKey, ...(root.eventTime ? [root.eventTime] : [])];
    const helpers = options.includeInferenceHelperColumns ? layout.inferenceHelpers : undefined;
    if (options.entities?.length === 0) return batchOf(returnType, [], () => undefined, keyColumns, transformer, helpers);
    if (options.entities) {
      filters.push(or(...options.entities.map((e) => and(...root.primaryKey.map((k) => col(k).eq(e[k] as string | number | boolean))))));
    }
    let q = this.src.query();
    const explicit = q.state.columns;
    if (explicit && keyColumns.some((k) => !explicit.includes(k))) q = q.select([...new Set([...keyColumns, ...explicit])]);
    if (filters.length > 0) q = q.filter(and(...filters));
    if (returnType !== 'columns') return batchOf(returnType, await q.read(), undefined, keyColumns, transformer, helpers);
    const cols = await q.readColumns({ typed: true });
    const byName = new Map(cols.names.map((n, i) => [n, cols.values[i]!]));
    const index = Array.from({ length: cols.rowCount }, (_, i) => i);
    return batchOf(returnType, index, (name) => byName.get(name), keyColumns, transformer, helpers);
  }
}
