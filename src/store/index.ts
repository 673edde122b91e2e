// The store layer's public surface: a general-purpose embedded feature store (it knows nothing of air quality).
export { FeatureStore, type OpenOptions } from './feature-store.js';
export { FeatureGroup, type EntityKey } from './feature-group.js';
export { Query } from './query/query.js';
export { col, and, or, not, FilterSchema, type Filter } from './query/filter.js';
export type { CommitInfo, CommitDetails, CommitRef } from './commit-log.js';
export type { Statistics, ColumnStatistics } from './statistics.js';
export type {
  Expectation,
  ExpectationSuite,
  ExpectationSuiteInput,
  ExpectationResult,
  ValidationReport,
  ValidationPolicy,
} from './expectations/schema.js';
export { describeExpectation } from './expectations/schema.js';
export type { NewFeature } from './write/alter.js';
export {
  FEATURE_TYPES,
  type FeatureType,
  type FeatureValue,
  type FeatureSpec,
  type FeatureGroupMeta,
  type FeatureGroupSpecInput,
  type Row,
  type InputRow,
} from './types.js';
