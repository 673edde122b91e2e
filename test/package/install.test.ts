// The published package: `npm pack`, a plain `npm install -g --prefix DIR TARBALL`, then the commands a new user runs, from the installed copy.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';

const ROOT = join(__dirname, '..', '..');
/** npm's registry answers come from its cache where it can (npm ci filled it); no command-line flags change what is installed. */
const NPM_ENV = { ...process.env, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

/** dist/ is newer than every source file, so the tarball holds what the sources say now. */
function assertBuildIsFresh(): void {
  const built = statSync(join(ROOT, 'dist', 'cli', 'airq.js')).mtimeMs;
  for (const dir of ['src', 'tools', 'evals', 'bench']) {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts') && statSync(join(entry.parentPath, entry.name)).mtimeMs > built) {
        throw new Error(`dist/ is older than ${join(entry.parentPath, entry.name)}: run \`npm run build\` (npm test does) before this test`);
      }
    }
  }
}

function du(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return bytes;
}

describe('the npm package', () => {
  let prefix: string;
  let airq: string;
  let store: string;
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(airq, args, { encoding: 'utf8', cwd: tempDir(), env: { ...process.env, AIRQ_STORE: store, AIRQ_TODAY: undefined, ...env }, timeout: 300_000 });

  // Built once for the file (tempDir removes its directories after each test).
  const keep = mkdtempSync(join(tmpdir(), 'airq-package-'));
  afterAll(() => rmSync(keep, { recursive: true, force: true }));

  beforeAll(() => {
    const out = join(keep, 'pack');
    mkdirSync(out);
    // npm test builds before the tests run; rebuilding here would rewrite dist/ under the other test files' feet.
    assertBuildIsFresh();
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], { cwd: ROOT, env: NPM_ENV, encoding: 'utf8' }),
    ) as {
      filename: string;
      files: { path: string }[];
    }[];
    const files = packed[0]!.files.map((f) => f.path);
    for (const needed of [
      'bin/airq.js',
      'dist/cli/airq.js',
      'dist/cli/bench-pit-process.js',
      'prompts/answers.md',
      'docs/knowledge/who-guidelines.md',
      'src/web/static/app.js',
      'evals/thresholds.json',
    ]) {
      expect(files).toContain(needed);
    }
    expect(files.some((f) => f.startsWith('evals/datasets/') && f.endsWith('.jsonl'))).toBe(true);
    expect(files.some((f) => f.startsWith('test/') || f.endsWith('.ts') || f.startsWith('src/store') || f.startsWith('dist/src/'))).toBe(false);
    prefix = join(keep, 'prefix');
    execFileSync('npm', ['install', '-g', '--prefix', prefix, join(out, packed[0]!.filename)], { env: NPM_ENV, stdio: 'pipe' });
    airq = join(prefix, 'bin', 'airq');
    store = join(keep, 'store');
  }, 600_000);

  it('installs without the optional ONNX runtimes, a fraction of a development install', () => {
    const modules = join(prefix, 'lib', 'node_modules', 'airq', 'node_modules');
    expect(existsSync(join(modules, 'onnxruntime-node'))).toBe(false);
    expect(existsSync(join(modules, '@huggingface'))).toBe(false);
    expect(du(join(prefix, 'lib'))).toBeLessThan(250 * 1024 * 1024);
  });

  it('runs --help, demo, ask and embed from the installed copy', () => {
    const help = run(['--help']);
    expect([help.status, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toMatch(/airq — air-quality AI/);
    const demo = run(['demo', '--source', 'synthetic', '--today', '2024-06-30']);
    expect([demo.status, demo.stderr.split('\n').filter((l) => /error|warn/.test(l))]).toEqual([0, []]);
    expect(demo.stdout).toMatch(/forecasts for 2024-07-01\.\.2024-07-07: 7 predictions/);
    // No --today from here on: the store's own clock says 2024-06-30.
    const ask = run(['ask', 'Will the air be OK for a run tomorrow?', '--json']);
    expect(ask.status).toBe(0);
    expect(ask.stdout).toMatch(/2024-07-01/);
    expect(ask.stdout).toMatch(/µg\/m³/);
    const embed = run(['embed', '--json']);
    expect(embed.status).toBe(0);
    expect(JSON.parse(embed.stdout.trim().split('\n').at(-1)!)).toMatchObject({ documents: { embedder: 'hashing-v1-384' } });
    const transformers = run(['embed'], { AIRQ_EMBEDDER: 'transformers' });
    expect(transformers.status).toBe(1);
    expect(transformers.stderr).toMatch(/need @huggingface\/transformers, which is not installed: .*npm install -g @huggingface\/transformers@4\.3\.1/);
  });

  it('serves MCP from the installed copy: resources and a knowledge search', async () => {
    const transport = new StdioClientTransport({
      command: airq,
      args: ['mcp', '--store', store],
      env: { ...(process.env as Record<string, string>) },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'airq-package-test', version: '1' });
    await client.connect(transport);
    try {
      const resources = await client.listResources();
      expect(resources.resources.map((r) => r.uri)).toEqual(expect.arrayContaining(['airq://feature-groups', 'airq://docs/who-guidelines']));
      const found = (await client.callTool({ name: 'search_similar', arguments: { feature_group: 'documents', query: 'WHO guideline for PM2.5', k: 3 } })) as {
        structuredContent?: { results: { row: { text: string } }[] };
        isError?: boolean;
      };
      expect(found.isError).toBeFalsy();
      expect(found.structuredContent!.results).toHaveLength(3);
    } finally {
      await client.close();
    }
  });
});
