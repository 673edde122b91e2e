// `airq bench NAME [--json]`: runs one benchmark; with --json the last stdout line is its result.
import { benchAgent } from '../../../bench/agent.js';
import { benchBackfill } from '../../../bench/backfill.js';
import { benchForecast } from '../../../bench/forecast.js';
import { benchInsert } from '../../../bench/insert.js';
import { benchMcp } from '../../../bench/mcp.js';
import { findDataDir } from '../../core/data-dir.js';
import { benchOnline } from '../../../bench/online.js';
import { benchPit } from '../../../bench/pit.js';
import { benchVectorLookup } from '../../../bench/vector-lookup.js';
import { benchVector } from '../../../bench/vector.js';
import { UsageError } from '../../core/errors.js';
import { noMorePositionals, parse, positional } from '../args.js';
import { contextFrom } from '../context.js';

/** --path, else the shared Beijing data. */
function beijingDir(bench: string, path: string | undefined): string {
  const dir = path ?? findDataDir('beijing');
  if (!dir) throw new UsageError(`bench ${bench}: pass --path DIR (the folder with the PRSA_Data_*.csv.gz files)`);
  return dir;
}

const BENCHMARKS: Record<string, { what: string; run: (log: (s: string) => void, path: string | undefined) => Promise<object> }> = {
  online: {
    what: 'single-key getOnline on 100k keys x 15 features, hot: p50/p99 in µs (goal p99 <= 100 µs)',
    run: () => benchOnline(),
  },
  insert: {
    what: 'upsert 100k rows with validation and statistics into a group of 1M rows (goal >= 200k rows/s)',
    run: (log) => benchInsert({ log }),
  },
  pit: {
    what: 'training data for 1M labels joined point-in-time with two 1M-row groups (10k entities) (goal <= 3 s)',
    run: (log) => benchPit({ log }),
  },
  backfill: {
    what: 'backfill every UCI Beijing file of --path DIR (default: the shared data) into a fresh store (goal <= 20 s)',
    run: (log, path) => benchBackfill(beijingDir('backfill', path), log),
  },
  forecast: {
    what: 'Beijing backtest from 2016-03-01 (per-horizon RMSE vs baselines; goal train <= 15 s) and a 7-day forecast of every station (goal <= 1 s)',
    run: (log, path) => benchForecast(beijingDir('forecast', path), log),
  },
  vector: {
    what: 'findNeighbors over 100k 384-d hashing embeddings of generated sentences: recall@10 vs brute force, p50/p99 (goal recall >= 0.95 at p99 <= 2 ms, >= 20x brute force, upserts >= 1,000/s)',
    run: (log) => benchVector({ log }),
  },
  mcp: {
    what: 'get_feature_vector and get_air_quality_forecast through a real MCP client over stdio on a Beijing store, 1,000 calls each (goal p99 <= 5 ms)',
    run: (log, path) => benchMcp(beijingDir('mcp', path), log),
  },
  agent: {
    what: 'the builtin agent on every bundled eval question over the Beijing eval store, warm: p50/p99 per question (goal p50 <= 50 ms) and the loop overhead per step (goal <= 5 ms)',
    run: (log, path) => benchAgent(beijingDir('agent', path), log),
  },
  'vector-lookup': {
    what: 'getFeatureVector over two online groups with two transformations: p50/p99 in µs (goal p99 <= 200 µs)',
    run: () => benchVectorLookup(),
  },
};

export const BENCH_HELP = `airq bench NAME [--json] [--path DIR] — run a benchmark (last stdout line is JSON with --json)

${Object.entries(BENCHMARKS)
  .map(([name, b]) => `  ${name.padEnd(8)} ${b.what}`)
  .join('\n')}`;

export async function benchCommand(argv: readonly string[]): Promise<void> {
  const p = parse(argv, { json: { type: 'boolean' }, path: { type: 'string' } }, 'bench');
  const ctx = contextFrom(p);
  if (p.values.help) return ctx.out.line(BENCH_HELP);
  const name = positional(p, 0, `the benchmark NAME (${Object.keys(BENCHMARKS).join(', ')})`, 'bench');
  noMorePositionals(p, 1, 'bench');
  const bench = BENCHMARKS[name];
  if (!bench) throw new UsageError(`bench: unknown benchmark "${name}"; available: ${Object.keys(BENCHMARKS).join(', ')}`);
  ctx.log.info(`bench ${name}: ${bench.what}`);
  const result = await bench.run((s) => ctx.log.info(s), typeof p.values.path === 'string' ? p.values.path : undefined);
  if (p.values.json) ctx.out.json({ bench: name, ...result });
  else for (const [k, v] of Object.entries(result)) ctx.out.line(`${k.padEnd(16)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
}
