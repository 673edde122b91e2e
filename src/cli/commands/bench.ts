// `airq bench NAME [--json]`: runs one benchmark; with --json the last stdout line is its result.
import { findDataDir } from '../../core/data-dir.js';
import { UsageError } from '../../core/errors.js';
import { parseOnlineStore } from '../../core/config.js';
import { z } from 'zod';
import { noMorePositionals, option, parse, positional, type Parsed } from '../args.js';
import { contextFrom } from '../context.js';
import { BENCH_DESCRIPTIONS } from '../bench-help.js';

/** --path, else the shared Beijing data. */
function beijingDir(bench: string, path: string | undefined): string {
  const dir = path ?? findDataDir('beijing');
  if (!dir) throw new UsageError(`bench ${bench}: pass --path DIR (the folder with the PRSA_Data_*.csv.gz files)`);
  return dir;
}

/** What a benchmark may be given: --path, for gbdt --csv, --label and --trees, and for online --online. */
interface BenchArgs {
  path?: string;
  csv?: { file: string; label: string };
  trees?: number;
  online?: string;
}

type Bench = (log: (s: string) => void, path: string | undefined, args: BenchArgs) => Promise<object>;

/** Each benchmark's code is loaded when it runs. */
const BENCHMARKS: Record<string, Bench> = {
  online: async (log, _path, args) =>
    args.online === undefined || args.online === 'memory'
      ? (await import('../../../bench/online.js')).benchOnline()
      : (await import('../../../bench/online-redis.js')).benchOnlineRedis(args.online, { log }),
  insert: async (log) => (await import('../../../bench/insert.js')).benchInsert({ log }),
  pit: async (log) => (await import('../../../bench/pit.js')).benchPit({ log }),
  backfill: async (log, path) => (await import('../../../bench/backfill.js')).benchBackfill(beijingDir('backfill', path), log),
  gbdt: async (log, path, args) => (await import('../../../bench/gbdt.js')).benchGbdt({ ...args, path: args.csv ? undefined : beijingDir('gbdt', path), log }),
  forecast: async (log, path) => (await import('../../../bench/forecast.js')).benchForecast(beijingDir('forecast', path), log),
  vector: async (log) => (await import('../../../bench/vector.js')).benchVector({ log }),
  mcp: async (log, path) => (await import('../../../bench/mcp.js')).benchMcp(beijingDir('mcp', path), log),
  agent: async (log, path) => (await import('../../../bench/agent.js')).benchAgent(beijingDir('agent', path), log),
  startup: async (log, path) => (await import('../../../bench/startup.js')).benchStartup(beijingDir('startup', path), log),
  'vector-lookup': async () => (await import('../../../bench/vector-lookup.js')).benchVectorLookup(),
  replicas: async (log, path, args) =>
    (await import('../../../bench/replicas.js')).benchReplicas(beijingDir('replicas', path), onlineUrl('replicas', args), log),
};

/** --online URL, which bench replicas needs (a Redis the replicas share). */
function onlineUrl(bench: string, args: BenchArgs): string {
  if (args.online === undefined || args.online === 'memory') throw new UsageError(`bench ${bench}: pass --online redis://HOST:PORT/DB (the replicas share it)`);
  return args.online;
}

const Trees = z.coerce.number({ error: 'must be a whole number' }).int().min(1).max(100_000);

/** --csv FILE --label COL --trees N, which only `bench gbdt` takes. */
function gbdtArgs(name: string, v: Parsed['values']): BenchArgs {
  const given = ['csv', 'label', 'trees'].filter((k) => v[k] !== undefined);
  if (given.length > 0 && name !== 'gbdt') throw new UsageError(`bench ${name}: --${given[0]} is for bench gbdt only`);
  if ((v.csv === undefined) !== (v.label === undefined)) throw new UsageError('bench gbdt: --csv FILE and --label COL go together');
  return {
    ...(typeof v.csv === 'string' ? { csv: { file: v.csv, label: String(v.label) } } : {}),
    ...(v.trees !== undefined ? { trees: option(Trees, v.trees, 'trees') } : {}),
  };
}

export async function benchCommand(argv: readonly string[]): Promise<void> {
  const flags = {
    json: { type: 'boolean' },
    path: { type: 'string' },
    csv: { type: 'string' },
    label: { type: 'string' },
    trees: { type: 'string' },
    online: { type: 'string' },
  } as const;
  const p = parse(argv, flags, 'bench');
  const ctx = contextFrom(p);
  const name = positional(p, 0, `the benchmark NAME (${Object.keys(BENCHMARKS).join(', ')})`, 'bench');
  noMorePositionals(p, 1, 'bench');
  const bench = Object.hasOwn(BENCHMARKS, name) ? BENCHMARKS[name] : undefined; // not Object.prototype's names
  if (!bench) throw new UsageError(`bench: unknown benchmark "${name}"; available: ${Object.keys(BENCHMARKS).join(', ')}`);
  const args = gbdtArgs(name, p.values);
  if (typeof p.values.online === 'string') {
    if (name !== 'online' && name !== 'replicas') throw new UsageError(`bench ${name}: --online is for bench online and bench replicas`);
    parseOnlineStore(p.values.online, '--online'); // a URL of the wrong shape stops here
    args.online = p.values.online;
  }
  ctx.log.info(`bench ${name}: ${BENCH_DESCRIPTIONS[name]}`);
  const result = await bench((s) => ctx.log.info(s), typeof p.values.path === 'string' ? p.values.path : undefined, args);
  if (p.values.json) ctx.out.json({ bench: name, ...result });
  else for (const [k, v] of Object.entries(result)) ctx.out.line(`${k.padEnd(16)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
}
