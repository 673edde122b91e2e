// The ML layer: gradient-boosted trees, losses, metrics, matrices and a seeded random source.
export * from './bootstrap.js';
export * from './gbdt.js';
export * from './losses.js';
export * from './matrix.js';
export * from './metrics.js';
export * from './random.js';
