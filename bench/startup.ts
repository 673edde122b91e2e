// Benchmark: start-up of `airq --help` and of a one-question `airq ask` on the Beijing eval store, as processes, against
// `node -e 0` and against the floor of ask (bench/startup-floor.ts: DuckDB and an in-memory MCP round trip, nothing else).
import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/core/data-dir.js';
import { ensureEvalStore } from '../evals/eval-store.js';
import { benchProcessScript, round, withScratchDir } from './common.js';

const QUESTION = 'Will the air be OK for a run tomorrow in Dongsi?';
const ROUNDS = 7;

type Command = 'node' | 'help' | 'ask' | 'floor';

/** Seconds of one run of `args` (node and its arguments), which must succeed. */
function timed(args: string[], env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: 120_000 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`bench startup: node ${args.join(' ')} failed (${r.status}): ${r.stderr || r.error?.message}`);
  return seconds;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchStartup(dataDir: string, log: (s: string) => void = () => undefined) {
  const { dir: evalStore } = await ensureEvalStore(dataDir, log);
  return withScratchDir(async (dir) => {
    // A copy: the question's trace is queued in the store it asks, and the cached eval store stays as built.
    cpSync(evalStore, dir, { recursive: true });
    const airq = join(projectRoot(), 'bin', 'airq.js');
    const commands: Record<Command, string[]> = {
      node: ['-e', '0'],
      help: [airq, '--help'],
      ask: [airq, 'ask', QUESTION, '--store', dir, '--llm', 'builtin'],
      floor: [benchProcessScript('startup-floor'), dir],
    };
    // The builtin planner (no LLM, no network) and no log lines; the first run of each warms the file cache.
    const env = { ...process.env, AIRQ_LOG_LEVEL: 'warn' };
    const times: Record<Command, number[]> = { node: [], help: [], ask: [], floor: [] };
    for (const args of Object.values(commands)) timed(args, env);
    // Interleaved rounds, so a busy moment of the machine falls on every command alike.
    for (let r = 0; r < ROUNDS; r++) for (const [name, args] of Object.entries(commands)) times[name as Command].push(timed(args, env));
    const [node, help, ask, floor] = [median(times.node), median(times.help), median(times.ask), median(times.floor)];
    log(`node -e 0 ${node.toFixed(3)} s, --help ${help.toFixed(3)} s, ask ${ask.toFixed(3)} s, ask's floor ${floor.toFixed(3)} s (medians of ${ROUNDS})`);
    return {
      node_seconds: round(node, 3),
      help_seconds: round(help, 3),
      ask_seconds: round(ask, 3),
      floor_seconds: round(floor, 3),
      help_ratio_to_node: round(help / node, 2),
      ask_ratio_to_node: round(ask / node, 2),
      floor_ratio_to_node: round(floor / node, 2),
      ask_ratio_to_floor: round(ask / floor, 2),
    };
  });
}
