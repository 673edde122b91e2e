// Bundles the compiled CLI (dist/src/cli.js) into dist/cli/, which bin/airq.js runs (a few files instead of ~300 modules to find and read), with the benchmarks' helper processes.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Native addons, and the packages that load one, stay in node_modules (each loads on first use).
const NATIVE = ['@duckdb/*', 'hnswlib-node', '@huggingface/transformers', 'onnxruntime-node', '@resvg/resvg-js'];

rmSync('dist/cli', { recursive: true, force: true }); // chunk names change with their contents
await build({
  entryPoints: {
    airq: 'dist/src/cli.js',
    'bench-pit-process': 'dist/bench/pit-process.js',
    'bench-writer-process': 'dist/bench/writer-process.js',
  },
  outdir: 'dist/cli',
  bundle: true,
  // Lazy imports stay lazy: each becomes its own chunk, read when the command that needs it runs.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: NATIVE,
  // CommonJS inside bundled packages calls require (for Node's own modules); an ES module has none of its own.
  banner: { js: "import { createRequire as airqCreateRequire } from 'node:module'; const require = airqCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
