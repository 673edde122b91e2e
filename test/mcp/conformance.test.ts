// The official MCP conformance suite against `airq mcp --http`, once per protocol revision, gated by the baselines in test/conformance.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyStoreForFile, removeStoreCopy, syntheticStore } from '../helpers/stores.js';
import { startMcpHttp, type McpHttpServer } from '../helpers/mcp-http.js';

const ROOT = join(__dirname, '..', '..');
const SUITE = join(ROOT, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const TODAY = '2024-06-30';
let storeDir: string;
let server: McpHttpServer;

beforeAll(async () => {
  storeDir = copyStoreForFile(syntheticStore());
  server = await startMcpHttp(storeDir, TODAY);
}, 60_000);

afterAll(async () => {
  await server.stop();
  removeStoreCopy(storeDir);
});

/** Runs the suite for one revision; it exits 0 only when every failure is in the baseline and no baseline entry passes. */
function conformance(revision: string) {
  const out = mkdtempSync(join(tmpdir(), 'airq-conformance-results-'));
  try {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        join(ROOT, 'test', 'conformance', 'node20', 'register.mjs'),
        SUITE,
        'server',
        '--url',
        server.url,
        '--requirements',
        revision,
        '--expected-failures',
        join(ROOT, 'test', 'conformance', `baseline-${revision}.yaml`),
        '--output-dir',
        out,
      ],
      { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } },
    );
    return { code: r.status, output: `${r.stdout}\n${r.stderr}` };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('MCP conformance suite', () => {
  for (const revision of ['2025-11-25', '2026-07-28']) {
    it(`passes the ${revision} requirements except the baselined fixture scenarios`, () => {
      const r = conformance(revision);
      // On failure, show the runner's verdict (unexpected failures or stale baseline entries), not the whole log.
      const verdict = r.output.slice(r.output.indexOf('=== SUMMARY ==='));
      expect(r.code, verdict).toBe(0);
      expect(r.output).toMatch(/Baseline check passed/);
      expect(r.output).toMatch(/✓ tools-list/);
    }, 120_000);
  }
});
