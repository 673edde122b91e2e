// The feature types a column can have (a leaf module, so schemas of every kind can share the list).
export const FEATURE_TYPES = ['string', 'int', 'float', 'bool', 'date', 'timestamp'] as const;
export type FeatureType = (typeof FEATURE_TYPES)[number];
