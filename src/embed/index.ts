// The embedding layer: the embedder interface, the hashing embedder, and the markdown chunker.
export * from './chunker.js';
export * from './embedder.js';
export * from './hashing.js';
export * from './select.js';
export * from './transformers.js';
