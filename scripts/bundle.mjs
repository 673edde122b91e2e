// Bundles the compiled CLI (dist/src/cli.js) into dist/cli/, which bin/airq.js runs (a few files instead of ~300 modules to find and read), with the benchmarks' helper processes.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Native addons, and the packages that load one, stay in node_modules (each loads on first use).
const NATIVE = ['@duckdb/node-bindings', 'hnswlib-node', '@huggingface/transformers', 'onnxruntime-node', '@resvg/resvg-js'];

/**
 * DuckDB's JavaScript API (124 CommonJS files around the native binding) goes into the bundle too. The compiled code
 * requires it at run time (src/store/db/duckdb.ts says why), which a bundler cannot follow: here it is imported.
 */
const duckdbApiInBundle = {
  name: 'duckdb-api-in-bundle',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]src[\\/]store[\\/]db[\\/]duckdb\.js$/ }, () => ({
      contents: "import * as duckdb from '@duckdb/node-api';\nexport { duckdb };\n",
      resolveDir: 'dist/src/store/db',
    }));
  },
};

/** zod's translated error messages: airq's are English, so its other 63 languages (~0.4 MB of the bundle) stay out. */
const englishOnlyZod = {
  name: 'english-only-zod',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({ contents: 'export { default as en } from "./en.js";\n' }));
  },
};

rmSync('dist/cli', { recursive: true, force: true }); // chunk names change with their contents
await build({
  entryPoints: {
    airq: 'dist/src/cli.js',
    'bench-pit-process': 'dist/bench/pit-process.js',
    'bench-writer-process': 'dist/bench/writer-process.js',
    'bench-startup-floor': 'dist/bench/startup-floor.js',
  },
  outdir: 'dist/cli',
  bundle: true,
  // Lazy imports stay lazy: each becomes its own chunk, read when the command that needs it runs.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: NATIVE,
  plugins: [duckdbApiInBundle, englishOnlyZod],
  // CommonJS inside bundled packages calls require (for Node's own modules); an ES module has none of its own.
  banner: { js: "import { createRequire as airqCreateRequire } from 'node:module'; const require = airqCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
