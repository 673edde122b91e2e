// The store layer's public surface: a general-purpose embedded feature store (it knows nothing of air quality).
export { DB_FILE, FeatureStore, type OpenOptions, type LineageRef } from './feature-store.js';
export { LiveStore, withStore, type LiveOptions, type StoreLease, type StoreSource } from './live-store.js';
export { QueueFlusher, applyQueueNow } from './queue-flusher.js';
export { queueRows, queuedFiles } from './spool.js';
export type { PublishPolicy } from './publisher.js';
export type { WaitOptions } from './db/writer-lock.js';
export { Model, ModelDraft, ModelRegistry, type CreateModelInput } from './registry/registry.js';
export type { ModelMeta } from './registry/schema.js';
export type { LineageGraph, LineageNode } from './lineage.js';
export { FeatureGroup, type EntityKey } from './feature-group.js';
export { Query, type JoinOptions, type OutputColumn } from './query/query.js';
export { FeatureView, type BatchData, type TrainingData, type TrainTestSplit, type TrainValidationTestSplit } from './views/feature-view.js';
export type { FeatureViewSpecInput } from './views/define-view.js';
export type { Transformation, TransformationState } from './views/transformations.js';
export type { TrainingDatasetInfo } from './views/schema.js';
export { exportTrainingDataset, type ExportOptions } from './views/export.js';
export { ExportManifestSchema, MANIFEST_FILE, type ExportManifest } from './views/export-manifest.js';
export { FILE_FORMATS, formatOfFile, type FileFormat } from './db/copy.js';
export type { ColumnSplit, Split } from './views/training-data.js';
export { frameRow, valueAt, type Frame, type FrameColumn, type RowsOrColumns } from './views/frame.js';
export type { BatchVectorOptions, FeatureVector, VectorOptions } from './views/serving.js';
export { col, and, or, not, FilterSchema, type Filter } from './query/filter.js';
export type { CommitInfo, CommitDetails, CommitRef } from './commit-log.js';
export type { Statistics, ColumnStatistics } from './statistics.js';
export type { Expectation, ExpectationSuite, ExpectationSuiteInput, ExpectationResult, ValidationReport, ValidationPolicy } from './expectations/schema.js';
export { describeExpectation } from './expectations/schema.js';
export type { NewFeature } from './write/alter.js';
export {
  FEATURE_TYPES,
  column,
  type FeatureType,
  type FeatureValue,
  type FeatureSpec,
  type FeatureGroupMeta,
  type FeatureGroupSpecInput,
  type Row,
  type InputRow,
} from './types.js';
export type { Neighbor, NeighborOptions, TextEmbedder } from './vector/neighbors.js';
export type { EmbeddingIndexSpec, EmbeddingIndexSpecInput, Metric } from './vector/spec.js';
export { verifyStore, type VerifyOptions, type VerifyReport } from './verify.js';
