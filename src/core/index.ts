// The core layer's public surface: errors, config, clock, logging, dates.
export * from './errors.js';
export * from './config.js';
export * from './clock.js';
export * from './logger.js';
export * from './dates.js';
export * from './validate.js';
export * from './data-dir.js';
export * from './progress.js';
