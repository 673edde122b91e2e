// ESLint: TypeScript rules plus the layer directions of DESIGN.md (lower layers never import upper ones).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** A no-restricted-imports rule that forbids importing `layers` from files of `files`, with a message saying why and what to do. */
function layer(files, layers, fix) {
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: layers.map((l) => ({
            group: [`**/${l}/**`, `**/${l}.js`],
            message: `${files[0].split('/*')[0]} must not import ${l} (see DESIGN.md, "Layers"). ${fix}`,
          })),
        },
      ],
    },
  };
}

const UPPER_THAN_DOMAIN = ['mcp', 'agent', 'web', 'tools', 'cli'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  layer(
    ['src/core/**'],
    ['store', 'embed', 'ml', 'airquality', ...UPPER_THAN_DOMAIN],
    'core is the bottom layer: move the shared piece into src/core, or pass it in as a parameter.',
  ),
  layer(
    ['src/store/**'],
    ['embed', 'ml', 'airquality', ...UPPER_THAN_DOMAIN],
    'The store is general purpose: keep domain logic in src/airquality and hand the store plain data or callbacks.',
  ),
  layer(
    ['src/embed/**'],
    ['store', 'ml', 'airquality', ...UPPER_THAN_DOMAIN],
    'Embedding models depend on core only: let src/airquality or the store wire them together.',
  ),
  layer(
    ['src/ml/**'],
    ['store', 'embed', 'airquality', ...UPPER_THAN_DOMAIN],
    'ML algorithms depend on core only: pass them typed arrays, and let src/airquality read the store.',
  ),
  layer(
    ['src/airquality/**'],
    UPPER_THAN_DOMAIN,
    'The domain must not know its callers: expose a service function and call it from tools/, the CLI or the web layer.',
  ),
  layer(['tools/**'], ['mcp', 'agent', 'web', 'cli'], 'A tool calls domain services only: move transport concerns into src/mcp.'),
  layer(['src/mcp/**'], ['agent', 'web', 'cli'], 'The MCP server is below the agent and the web page: have them connect to it as clients.'),
  layer(
    ['src/agent/**'],
    ['store', 'ml', 'airquality', 'tools', 'mcp', 'web', 'cli'],
    'The agent reaches tools only through an MCP client, as an external client would; traces go through an exporter the CLI wires up.',
  ),
  {
    // One config module: every environment variable is read (and checked) in src/core/config.ts.
    files: ['src/**/*.ts', 'tools/**/*.ts'],
    ignores: ['src/core/config.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.object.name='process'][object.property.name='env']",
          message: 'Read environment variables in src/core/config.ts (a zod-checked section), and pass the value in.',
        },
        {
          selector: 'MemberExpression[property.name=/^(AIRQ|OPENAI|AQICN|OPENAQ)_/]',
          message: 'Read environment variables in src/core/config.ts (a zod-checked section), and pass the value in.',
        },
      ],
    },
  },
  {
    // The page's script runs in the browser, not in Node.
    files: ['src/web/static/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { document: 'readonly', fetch: 'readonly', TextDecoder: 'readonly', console: 'readonly' },
    },
  },
  {
    files: ['bin/**/*.js', 'eslint.config.js', 'test/conformance/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly' } },
  },
);
