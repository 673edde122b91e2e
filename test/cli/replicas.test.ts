// Stateless replicas on a Redis online store, as real processes: two `airq serve` and an `airq mcp --http` on one store directory give the same vectors, write nothing to it, and serve a pipeline's new values (run in another process) as soon as it ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { FeatureStore } from '../../src/store/index.js';
import { runCliAsync } from '../helpers/cli.js';
import { redisInstalled, startRedis } from '../helpers/redis.js';
import { beijingStore, copyStore } from '../helpers/stores.js';

const BIN = join(__dirname, '..', '..', 'bin', 'airq.js');
const built = beijingStore();
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** Starts `airq ARGS` and resolves with the first http:// address it prints (stdout or stderr). */
function startReplica(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, AIRQ_LOG_LEVEL: 'info', ...env } });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const look = (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+(?:\/mcp)?)/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.on('exit', (code) => reject(new Error(`airq ${args[0]} exited (${code}): ${out}`)));
  });
}

/** Every file under `dir` with its size and modification time: what a process that writes nothing leaves as it was. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .map((f) => `${relative(dir, f)} ${statSync(f).size} ${statSync(f).mtimeMs}`)
    .sort();
}

async function places(dir: string): Promise<string[]> {
  const store = await FeatureStore.open({ dir, readOnly: true });
  try {
    return (await store.getFeatureGroup('locations').read()).map((r) => String(r.location_id)).sort();
  } finally {
    await store.close();
  }
}

async function servedVectors(base: string, ids: string[]): Promise<unknown[]> {
  const body = JSON.stringify({ entities: { location_id: ids } });
  const res = await fetch(`${base}/features/pm25_state/1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  expect(res.status).toBe(200);
  const answer = (await res.json()) as { results: { status: string; vector: unknown }[] };
  expect(answer.results.map((r) => r.status)).toEqual(ids.map(() => 'found'));
  return answer.results.map((r) => r.vector);
}

async function mcpVector(client: Client, id: string): Promise<unknown> {
  const r = (await client.callTool({
    name: 'get_feature_vector',
    arguments: { feature_view: 'pm25_state', entity: [{ column: 'location_id', value: id }] },
  })) as { isError?: boolean; structuredContent: { features: unknown } };
  expect(r.isError).toBeFalsy();
  return r.structuredContent.features;
}

/** The library's vectors, read from Redis by a reader of the store. */
async function libraryVectors(dir: string, online: string, ids: string[]): Promise<unknown[]> {
  const store = await FeatureStore.open({ dir, readOnly: true, online });
  try {
    return JSON.parse(JSON.stringify(await store.getFeatureView('pm25_state', 1).getFeatureVectors(ids.map((location_id) => ({ location_id })))));
  } finally {
    await store.close();
  }
}

describe.skipIf(!built || !redisInstalled())('stateless replicas on a Redis online store', () => {
  it('two serve replicas and an MCP replica agree, write nothing, and serve a pipeline run in a third process at once', async () => {
    const redis = await startRedis();
    const dir = copyStore(built!);
    const env = { AIRQ_ONLINE_STORE: redis.url };
    const sync = await runCliAsync(['online', 'sync', '--store', dir], env);
    expect([sync.code, sync.stderr]).toEqual([0, expect.stringMatching(/pm25_state|air_quality/)]);
    const ids = await places(dir);
    const untouched = tree(dir);

    const common = ['--store', dir, '--port', '0'];
    const [a, b, mcpUrl] = await Promise.all([
      startReplica(['serve', ...common, '--no-schedule'], env),
      startReplica(['serve', ...common, '--no-schedule'], env),
      startReplica(['mcp', '--http', ...common], env),
    ]);
    const client = new Client({ name: 'replica-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl)));
    try {
      const before = await libraryVectors(dir, redis.url, ids);
      expect(await servedVectors(a, ids)).toEqual(before);
      expect(await servedVectors(b, ids)).toEqual(before);
      expect(await mcpVector(client, ids[0]!)).toEqual(before[0]);
      const health = (await (await fetch(`${b}/health`)).json()) as { onlineStore: { kind: string; ok: boolean } };
      expect(health.onlineStore).toMatchObject({ kind: 'redis', ok: true });
      expect(tree(dir)).toEqual(untouched); // the replicas wrote nothing to the store directory

      const daily = await runCliAsync(['pipeline', 'daily', '--store', dir], env);
      expect(daily.code).toBe(0);
      // Redis had the pipeline's rows before its commits returned: no replica waits for a snapshot.
      const after = await libraryVectors(dir, redis.url, ids);
      expect(after).not.toEqual(before);
      expect(await servedVectors(a, ids)).toEqual(after);
      expect(await servedVectors(b, ids)).toEqual(after);
      expect(await mcpVector(client, ids[0]!)).toEqual(after[0]);
    } finally {
      await client.close();
    }
  }, 240_000);
});
