#!/usr/bin/env node
// The `airq` command: runs the bundled CLI (dist/cli, built by `npm run build`, which `npm install` runs).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli/airq.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('airq: not built yet; run `npm install` (or `npm run build`) in the airq folder\n');
  process.exit(1);
}
await import(cli);
