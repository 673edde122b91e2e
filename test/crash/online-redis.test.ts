// A writer killed between its offline commit and its Redis write (Redis pauses writes, so the kill lands in between for certain): the commit is kept, Redis is behind, and the next writer's open brings Redis back to the offline table.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FeatureStore, verifyStore } from '../../src/store/index.js';
import { runCliAsync } from '../helpers/cli.js';
import { redisInstalled, startRedis } from '../helpers/redis.js';
import { beijingStore, copyStore } from '../helpers/stores.js';

const BIN = join(__dirname, '..', '..', 'bin', 'airq.js');
const built = beijingStore();

/** Each online group's last commit in the store (opened with the in-memory online store, which leaves Redis alone). */
async function storeCommits(dir: string): Promise<Map<string, number>> {
  const store = await FeatureStore.open({ dir });
  try {
    return new Map(
      store
        .listFeatureGroups()
        .filter((g) => g.onlineEnabled && g.meta.schema !== null)
        .map((g) => [`${g.name}:${g.version}`, g.lastCommitId]),
    );
  } finally {
    await store.close();
  }
}

describe.skipIf(!built || !redisInstalled())('a writer killed between its offline commit and its Redis write', () => {
  it('keeps the commit, and the restarted writer makes Redis match the offline table', async () => {
    const redis = await startRedis();
    const dir = copyStore(built!);
    const env = { AIRQ_ONLINE_STORE: redis.url, AIRQ_LOG_LEVEL: 'debug' };
    expect((await runCliAsync(['online', 'sync', '--store', dir], env)).code).toBe(0);
    expect(watermarks(redis.cli('--scan', '--pattern', 'airq:*:synced'), redis).size).toBeGreaterThan(0);

    redis.cli('CLIENT', 'PAUSE', '120000', 'WRITE'); // reads go on; every write waits
    const writer = spawn(process.execPath, [BIN, 'pipeline', 'daily', '--store', dir], { env: { ...process.env, ...env } });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      writer.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/Redis online store: writing commit \d+ of/.test(stderr)) resolve();
      });
      writer.on('exit', (code) => reject(new Error(`the pipeline ended (${code}) before writing to Redis: ${stderr}`)));
    });
    writer.kill('SIGKILL');
    await new Promise((r) => writer.once('exit', r));
    redis.cli('CLIENT', 'UNPAUSE');

    // The offline commit is there; Redis holds an older one for the group being written.
    const commits = await storeCommits(dir);
    const marks = watermarks(redis.cli('--scan', '--pattern', 'airq:*:synced'), redis);
    const behind = [...commits].filter(([g, c]) => (marks.get(g) ?? 0) < c);
    expect(behind.length).toBeGreaterThan(0);

    // The restarted writer (any writing command opens the store so) brings Redis up to every commit.
    const restarted = await runCliAsync(['online', 'sync', '--store', dir, '--json'], env);
    expect(restarted.code).toBe(0);
    const after = watermarks(redis.cli('--scan', '--pattern', 'airq:*:synced'), redis);
    for (const [g, c] of commits) expect([g, after.get(g)]).toEqual([g, c]);
    const store = await FeatureStore.open({ dir, online: redis.url });
    try {
      const report = await verifyStore(store); // every online key read from Redis against the latest offline row
      expect(report.problems).toEqual([]);
      expect(report.checked.onlineKeys).toBeGreaterThan(0);
      // and no key in Redis that the offline table no longer has
      for (const g of store.listFeatureGroups().filter((x) => x.onlineEnabled && x.meta.schema !== null)) {
        const offline = new Set((await g.read()).map((r) => g.primaryKey.map((k) => String(r[k])).join('\u0001')));
        const inRedis = redis.cli('--scan', '--pattern', `airq:*:g:${g.name}:${g.version}:*`).split('\n').filter(Boolean);
        expect([g.name, inRedis.length]).toEqual([g.name, offline.size]);
      }
    } finally {
      await store.close();
    }
    // The interrupted run, run again, finishes.
    expect((await runCliAsync(['pipeline', 'daily', '--store', dir], { AIRQ_ONLINE_STORE: redis.url })).code).toBe(0);
  }, 240_000);
});

function hashKey(scan: string): string {
  return scan.split('\n')[0]!;
}

/** The watermark hash (`airq:<store id>:synced`): group:version -> the commit Redis holds. */
function watermarks(scan: string, redis: { cli(...a: string[]): string }): Map<string, number> {
  const lines = redis.cli('HGETALL', hashKey(scan)).split('\n');
  const out = new Map<string, number>();
  for (let i = 0; i + 1 < lines.length; i += 2) out.set(lines[i]!, Number(lines[i + 1]));
  return out;
}
