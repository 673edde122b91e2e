// Benchmark: get_feature_vector over MCP's Streamable HTTP from one `airq mcp --http` replica and then from two, on one Beijing store with a Redis online store: requests per second at the same offered load, errors, latency, and the CPU each process used, which says what bounds the second replica on a small machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { runBeijing } from '../src/airquality/pipelines/beijing-pipeline.js';
import { makeReady } from '../src/airquality/ready-store.js';
import { projectRoot } from '../src/core/data-dir.js';
import { HashingEmbedder } from '../src/embed/hashing.js';
import { FeatureStore } from '../src/store/index.js';
import { percentile, round, withScratchDir } from './common.js';
import { freePort } from '../src/core/listen.js';

const TODAY = '2017-02-21';
/** Requests in flight at once, over all replicas (the same offered load for one replica and for two). */
const IN_FLIGHT = 16;
const WARM_MS = 1500;
const MEASURE_MS = 6000;

interface Replica {
  port: number;
  proc: ChildProcess;
}

/** CPU seconds a process has used so far (Linux /proc; 0 elsewhere). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return 0;
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });

/** One tools/call of get_feature_vector, statelessly (no session): resolves true when the tool answered without error. */
function call(port: number, place: string): Promise<boolean> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: 'get_feature_vector', arguments: { feature_view: 'pm25_state', entity: [{ column: 'location_id', value: place }] } },
  });
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' };
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers, agent }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve(res.statusCode === 200 && text.includes('"features"') && !text.includes('"isError":true')));
    });
    req.on('error', () => resolve(false));
    req.end(body);
  });
}

async function startReplica(dir: string, online: string): Promise<Replica> {
  const port = await freePort();
  const proc = spawn(process.execPath, [join(projectRoot(), 'bin', 'airq.js'), 'mcp', '--http', '--port', String(port), '--store', dir], {
    env: { ...process.env, AIRQ_ONLINE_STORE: online, AIRQ_LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  for (let i = 0; i < 600 && !(await call(port, 'beijing-dongsi')); i++) await new Promise((r) => setTimeout(r, 100));
  return { port, proc };
}

/** Keeps IN_FLIGHT calls going, spread round-robin over the replicas, for `ms`; counts and times them. */
async function load(replicas: Replica[], places: string[], ms: number) {
  const times: number[] = [];
  let [ok, errors, n] = [0, 0, 0];
  const end = performance.now() + ms;
  const worker = async () => {
    while (performance.now() < end) {
      const i = n++;
      const t0 = performance.now();
      const good = await call(replicas[i % replicas.length]!.port, places[i % places.length]!);
      times.push(performance.now() - t0);
      if (good) ok++;
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  times.sort((a, b) => a - b);
  return { ok, errors, p50_ms: round(percentile(times, 50), 2), p99_ms: round(percentile(times, 99), 2) };
}

async function phase(dir: string, online: string, count: number, places: string[], log: (s: string) => void) {
  const replicas = await Promise.all(Array.from({ length: count }, () => startReplica(dir, online)));
  try {
    await load(replicas, places, WARM_MS);
    const cpu0 = replicas.map((r) => cpuSeconds(r.proc.pid));
    const self0 = process.cpuUsage();
    const r = await load(replicas, places, MEASURE_MS);
    const replicaCpu = replicas.reduce((s, rep, i) => s + cpuSeconds(rep.proc.pid) - cpu0[i]!, 0);
    const self = process.cpuUsage(self0);
    const rps = r.ok / (MEASURE_MS / 1000);
    const out = {
      replicas: count,
      rps: round(rps, 0),
      ...r,
      replica_cpu_ms_per_request: round((replicaCpu * 1000) / (r.ok + r.errors), 3),
      load_cpu_ms_per_request: round((self.user + self.system) / 1000 / (r.ok + r.errors), 3),
      cpu_busy_of_all_cores: round((replicaCpu + (self.user + self.system) / 1e6) / (MEASURE_MS / 1000) / availableParallelism(), 2),
    };
    log(`${count} replica(s): ${out.rps} requests/s, ${r.errors} errors, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms`);
    return out;
  } finally {
    for (const rep of replicas) rep.proc.kill('SIGTERM');
  }
}

export async function benchReplicas(path: string, online: string, log: (s: string) => void = () => undefined) {
  return withScratchDir(async (dir) => {
    const setup = await FeatureStore.open({ dir, online });
    let places: string[];
    try {
      await runBeijing(setup, path, { end: TODAY, forecastDays: 7 });
      log('imported; training and forecasting');
      await makeReady(setup, TODAY, new HashingEmbedder());
      places = (await setup.getFeatureGroup('locations').read()).map((r) => String(r.location_id));
    } finally {
      await setup.close();
    }
    const one = await phase(dir, online, 1, places, log);
    const two = await phase(dir, online, 2, places, log);
    return {
      online,
      cores: availableParallelism(),
      in_flight: IN_FLIGHT,
      measure_s: MEASURE_MS / 1000,
      one,
      two,
      speedup: round(two.rps / one.rps, 2),
      errors: one.errors + two.errors,
    };
  });
}
