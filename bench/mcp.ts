// Benchmark: tool calls through a real MCP client over stdio against `airq mcp` on a Beijing store, 1,000 calls per tool,
// first on a quiet store, then while another process writes the store (a commit every 100 ms, each published as a snapshot
// the server switches to); the floor is the same client's ping round trip over the same stdio pipe.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { runBeijing } from '../src/airquality/pipelines/beijing-pipeline.js';
import { makeReady } from '../src/airquality/ready-store.js';
import { projectRoot } from '../src/core/data-dir.js';
import { HashingEmbedder } from '../src/embed/hashing.js';
import { FeatureStore } from '../src/store/index.js';
import { readCurrent } from '../src/store/snapshots.js';
import { benchProcessScript, percentile, round, withScratchDir } from './common.js';

const TODAY = '2017-02-21';
const CALLS = 1000;
const TOOLS: [string, Record<string, unknown>][] = [
  ['get_feature_vector', { feature_view: 'pm25_state', entity: [{ column: 'location_id', value: 'beijing-dongsi' }] }],
  ['get_air_quality_forecast', { location: 'beijing-dongsi' }],
];

async function timed(n: number, call: () => Promise<unknown>): Promise<{ p50_ms: number; p99_ms: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await call();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50_ms: round(percentile(times, 50), 3), p99_ms: round(percentile(times, 99), 3) };
}

async function toolTimes(client: Client, phase: string) {
  const out = [];
  for (const [tool, args] of TOOLS) {
    const t = await timed(CALLS, async () => {
      const r = await client.callTool({ name: tool, arguments: args });
      if (r.isError) throw new Error(`${tool} failed: ${JSON.stringify(r.content)}`);
    });
    out.push({ tool, phase, calls: CALLS, ...t });
  }
  return out;
}

/** The store's writer in another process (bench/writer-process.ts), as a pipeline beside the server; stop() says how many commits it made. */
async function writerProcess(dir: string): Promise<{ stop: () => Promise<number> }> {
  const child = spawn(process.execPath, [benchProcessScript('writer-process'), dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const check = () =>
      out.includes('writing') ? resolve() : child.exitCode !== null ? reject(new Error('the writer process exited')) : setTimeout(check, 20);
    check();
  });
  return {
    stop: async () => {
      child.stdin.end();
      await exited;
      return Number(out.trim().split('\n').at(-1));
    },
  };
}

export async function benchMcp(path: string, log: (s: string) => void = () => undefined) {
  return withScratchDir(async (dir) => {
    const setup = await FeatureStore.open({ dir });
    try {
      await runBeijing(setup, path, { end: TODAY, forecastDays: 7 }); // as the demo: data to TODAY, replayed forecasts after
      log('imported; training and forecasting');
      await makeReady(setup, TODAY, new HashingEmbedder());
    } finally {
      await setup.close();
    }
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [join(projectRoot(), 'bin', 'airq.js'), 'mcp', '--store', dir],
      env: { ...(process.env as Record<string, string>), AIRQ_LOG_LEVEL: 'warn' },
    });
    const client = new Client({ name: 'airq-bench', version: '1' });
    await client.connect(transport);
    try {
      for (const [tool, args] of TOOLS) for (let i = 0; i < 50; i++) await client.callTool({ name: tool, arguments: args }); // warm up
      const floor = await timed(CALLS, () => client.ping());
      log(`floor (ping): p50 ${floor.p50_ms} ms`);
      const quiet = await toolTimes(client, 'quiet');
      const firstSnapshot = readCurrent(dir)!.seq;
      const writes = await writerProcess(dir);
      let busy;
      let commits = 0;
      try {
        busy = await toolTimes(client, 'while writing');
      } finally {
        commits = await writes.stop();
        log(`${commits} commits, ${readCurrent(dir)!.seq - firstSnapshot} snapshots published while the server answered`);
      }
      const results = [...quiet, ...busy];
      for (const r of results) log(`${r.tool} (${r.phase}): p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms`);
      return { floor_ping: floor, results, commits_while_writing: commits, snapshots_published: readCurrent(dir)!.seq - firstSnapshot };
    } finally {
      await client.close();
    }
  });
}
