// node:fs with the one globSync form the suite uses ("**/<file name>" under a cwd, to summarise results).
import fs from 'node:fs';
import { join, relative } from 'node:path';

export * from 'node:fs';
export default fs;

export function globSync(pattern, options = {}) {
  const m = /^\*\*\/([^*/]+)$/.exec(pattern);
  if (!m) throw new Error(`globSync shim: only "**/<name>" patterns are supported, not ${pattern}`);
  const root = options.cwd ?? process.cwd();
  const found = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name === m[1]) found.push(relative(root, path));
    }
  };
  walk(root);
  return found;
}
