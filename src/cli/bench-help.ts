// The catalogue of benchmarks: what each one measures, its floor and its goal, for `airq bench --help` and the command table.

export const BENCH_DESCRIPTIONS: Record<string, string> = {
  online:
    'single-key getOnline on 100k keys x 15 features, hot: p50/p99 in µs and bytes per key, against a bare Map of the same rows (goal p50 <= 2x, <= 300 bytes a key); with --online redis://HOST:PORT/DB, on that Redis against a bare GET and MGET of the same keys, with the commands a batch of 100 keys takes (goal p99 <= 2x the bare GET, 1 command a batch)',
  insert: 'upsert 100k rows with validation and statistics into a group of 1M rows, against the same upsert in plain DuckDB (goal >= 0.75x its rate)',
  pit: 'training data (as columns) for 1M labels joined point-in-time with two 1M-row groups (10k entities), against the same ASOF join in plain DuckDB read out to columns, each in its own process (goal <= 1.3x the time, <= 1.5x the peak memory)',
  backfill: 'backfill every UCI Beijing file of --path DIR (default: the shared data) into a fresh store (goal <= 20 s)',
  forecast:
    "Beijing backtest from 2016-03-01 at every station and at 3 held-out ones, with the recorded weather and with realistic weather forecasts (per horizon: RMSE vs baselines, 80% coverage, width, interval score), the XGBoost reference on the held-out stations where Debian's xgboost is installed (goal RMSE <= 0.85x), and a 7-day forecast of every station (goal <= 1 s)",
  vector:
    'findNeighbors over 100k 384-d hashing embeddings of generated sentences: recall@10 vs brute force, p50/p99 (goal recall >= 0.95 at p99 <= 2 ms, >= 20x brute force, upserts >= 1,000/s)',
  gbdt: "GBDT training on the first 80% of the rows (the Beijing forecasting rows by date, or --csv FILE --label COL in file order; --trees N, default 400; learning rate 0.05, depth 6, 63 leaves, one thread), test RMSE on the rest, against XGBoost hist with the same settings where Debian's xgboost is installed: seconds, RMSE and the ratio",
  mcp: 'get_feature_vector and get_air_quality_forecast through a real MCP client over stdio on a Beijing store while another process writes it, 1,000 calls each (goal p99 <= 5 ms)',
  agent:
    'the builtin agent on every bundled eval question over the Beijing eval store, warm: p50/p99 per question (goal p50 <= 50 ms) and the loop overhead per step (goal <= 5 ms)',
  startup:
    "start-up as processes, medians of 7 interleaved rounds: `airq --help` and a one-question `airq ask` on the Beijing eval store (builtin planner), against `node -e 0` and against ask's floor (DuckDB opening the store plus one in-memory MCP tool call, bundled as airq is) (goal --help <= 3x, ask <= 6x node -e 0)",
  'vector-lookup': 'getFeatureVector over two online groups with two transformations: p50/p99 in µs (goal p99 <= 200 µs)',
  replicas:
    'get_feature_vector over MCP Streamable HTTP from one `airq mcp --http` replica, then two, on a Beijing store with --online redis://HOST:PORT/DB: requests/s at the same offered load (16 in flight), errors, p50/p99, and the CPU per request of the replicas and of the load itself (goal: two replicas 2x one, zero errors, where cores allow)',
};

export const BENCH_HELP = `airq bench NAME [--json] [--path DIR] [--csv FILE --label COL] [--trees N] [--online URL] — run a benchmark
(the last stdout line is JSON with --json)

${Object.entries(BENCH_DESCRIPTIONS)
  .map(([name, what]) => `  ${name.padEnd(14)} ${what}`)
  .join('\n')}`;
