// The feature types a column can have (a leaf module, so schemas of every kind can share the list).
/** `vector` is a fixed-length float32 embedding (its `dim` is part of the column's spec). */
export const FEATURE_TYPES = ['string', 'int', 'float', 'bool', 'date', 'timestamp', 'vector'] as const;
export type FeatureType = (typeof FEATURE_TYPES)[number];
