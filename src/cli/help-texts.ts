// The help of every command, apart from the code that runs it: `airq CMD --help` loads nothing else.
import { DEFAULT_MAX_STEPS } from '../agent/limits.js';

export const AGENT_HELP = `  --llm builtin|openai   the model: the offline planner (default without an LLM configured) or any
                         OpenAI-compatible endpoint (OPENAI_API_KEY, OPENAI_BASE_URL, AIRQ_LLM_MODEL)
  --mcp-url URL          use the tools of an MCP server over Streamable HTTP (AIRQ_MCP_TOKEN is sent)
  --mcp-command "CMD"    use the tools of an MCP server started as a stdio child process
                         (default: airq's own tools, in process, through a real MCP client)
  --max-steps N          model turns before an honest partial answer (default ${DEFAULT_MAX_STEPS})
  --tool-timeout S       seconds per tool call (default 30)
  --trace-file FILE      also append the run's spans as JSON lines to FILE`;

export const TRACES_NOTE = `Traces of every run go to the store's \`traces\` feature group: \`airq traces\`.`;

export const ASK_HELP = `airq ask "question" [options] — answer a question about air quality

${AGENT_HELP}
  --json                 the last line of stdout is {"answer", "tool_calls", "trace_id", "ms", "flagged"}
${TRACES_NOTE}

Examples:
  airq ask "Will the air be OK for a run tomorrow in Dongsi?"
  airq ask "Compare Dongsi and Tiantan tomorrow" --json`;

export const CHAT_HELP = `airq chat [options] — an interactive session with the agent (history kept; Ctrl-C stops an answer, Ctrl-D or "exit" ends)

${AGENT_HELP}
${TRACES_NOTE}`;

export const TRACES_HELP = `airq traces [--last N] [--id TRACE_ID] [--json] — the spans of recent agent runs
(spans \`airq ask\` left queued are applied first, unless another process is writing the store)

  --last N      the last N runs (default 5)
  --id ID       one run
  --json        one JSON object per span`;

export const DEMO_HELP = `airq demo [--source live|synthetic|beijing] [--path DIR] [--today YYYY-MM-DD] [--json]

Builds a ready store in --store DIR as it would have been at the end of day D (--today):
locations, daily air quality, weather and lag features up to D, and the weather forecast for
D+1..D+7, the PM2.5 forecaster trained on data up to D (airq train), and its forecasts
for D+1..D+7 with charts (airq forecast).
  live       (the default without --path) Open-Meteo for Stockholm, Hornsgatan 108: a year of
             weather and CAMS-model air quality and the 7-day weather forecast; when the network
             cannot be reached the demo says so in one line and uses the synthetic city
  synthetic  a seeded, simulated city (every row labelled synthetic); D defaults to today
  beijing    the UCI Beijing data (--path implies it; default ../shared/data/beijing); the forecast is the
             weather later recorded (replay: a perfect forecast); D defaults to 2017-02-21
Also embeds the knowledge base and the day patterns (airq embed). A store holds one source: demo
refuses a store that holds another (use --store DIR for a second one).`;

export const DOWNLOAD_HELP = `airq download — fetch a public dataset

  airq download beijing [--dir DIR] [--url URL] [--json]
      the UCI "Beijing Multi-Site Air-Quality Data" archive (dataset 501, CC BY 4.0, ~8 MB):
      12 stations, hourly, 2013-03 to 2017-02. Its station CSVs are kept gzip'd in DIR
      (default $AIRQ_DATA_DIR/beijing, else ~/.cache/airq/data/beijing), where
      \`airq demo --source beijing\` and \`airq pipeline --source beijing\` find them.
      A failed download leaves DIR as it was. URL defaults to the UCI archive (env AIRQ_BEIJING_URL).`;

export const EMBED_HELP = `airq embed — fill the embedding feature groups and their vector indexes

  airq embed [--json]
      documents: the knowledge base (docs/knowledge/*.md), chunked by headings and paragraphs and
      embedded with the text embedder AIRQ_EMBEDDER selects: auto (default) uses transformers.js
      with AIRQ_EMBED_MODEL (default Xenova/all-MiniLM-L6-v2) when AIRQ_EMBED_MODEL_PATH holds its
      files, else the hashing embedder (hashing-v1-384: lexical, no model files; it matches shared
      words and word forms, not meaning); transformers downloads the model into the store once
      (not with AIRQ_OFFLINE=1); hashing forces the hashing embedder. Only chunks whose text
      changed are re-embedded; removed chunks are deleted. The output says which embedder ran.
      day_patterns: every location-day with observed weather and PM2.5 as two numeric vectors
      (the weather of the day and the day before; plus the PM2.5 before it), on fixed scales
      (model day-pattern-v1: no text embedding model is involved). Incremental: unchanged days
      are not rewritten. The daily pipeline keeps them fresh once they exist.`;

export const EVAL_HELP = `airq eval [options] — run eval questions through the agent, grade them, and fail below the thresholds

  --dataset FILE      a JSONL dataset (repeatable; default: every evals/datasets/*.jsonl); format in evals/README.md
  --category NAME     only the cases of this category (repeatable)
  --llm builtin|openai  the model under test (default: builtin; openai needs OPENAI_API_KEY or OPENAI_BASE_URL)
  --store DIR         run on this store instead of the Beijing eval store (built from --path, cached by content hash)
  --path DIR          the UCI Beijing data for the eval store (default: the shared data, else ~/.cache/airq/data)
  --thresholds FILE   minimum scores (default evals/thresholds.json); exit 1 when one is missed
  --judge             also grade each answer with an LLM (faithfulness, helpfulness 1-5; needs OPENAI_*;
                      AIRQ_JUDGE_MODEL picks a judge other than AIRQ_LLM_MODEL)
  --out DIR           where the markdown and JSON reports go (default ./eval-reports)
  --skip-without-data  for npm test: without the Beijing data, print SKIPPING and exit 0 (a failure when AIRQ_REQUIRE_DATA=1)
  --json              the last line of stdout is {"cases","tool_exact","tool_f1","args_exact","abstain_acc","grounded","p50_ms","by_category",…}

Each run is recorded in the eval_runs feature group of the store (--store, AIRQ_STORE or ./.airq) and compared with
the previous run of the same model and datasets. Set AIRQ_EVAL_CACHE to move the eval-store cache.`;

export const FG_HELP = `airq fg — inspect feature groups

  airq fg list [--json]                                 every group version, with row counts
  airq fg show NAME [--version N] [--json]              schema, keys, statistics, expectations, last commits
  airq fg read NAME [--version N] [--limit N] [--json]  the current rows (default limit 20)
       [--where FILTER]... [--order COL[:asc|desc]]... [--format csv|parquet|json] [--out FILE]

  --where FILTER          keep the rows that match; repeat it to AND filters. A FILTER is one of:
                            COLUMN OP VALUE (OP one of = != < <= > >=)     "pm25 > 100"
                            COLUMN in (V1, V2, ...), or not in             "location_id in (a, b)"
                            COLUMN is null, or is not null                 "pm10 is null"
                          A value is a number for number columns, true or false for bool columns,
                          text otherwise (quote it with ' or " when it has commas or edge spaces).
                          Values are bound as parameters, never read as SQL.
  --order COL[:asc|desc]  sort by these columns: repeat it, or separate them with commas
                          (default: the key, then the event time)
  --format FMT            csv or json printed (json is --json), or the type of --out's file
                          (default: from FILE's extension: .parquet, .csv, .json)
  --out FILE              write the rows to FILE with DuckDB's writer (parquet, csv, or a JSON
                          array): every row unless --limit is given; complete or not there at all`;

export const FORECAST_HELP = `airq forecast — forecast PM2.5 for the next 7 days

  airq forecast [--location ID] [--json]
      with the served pm25_forecaster (of the versions trained on the store's current places, the
      one trained through the latest day; then the best validation RMSE) and the weather forecast in the store: the mean and an 80% interval for each of the 7 days after today, for every location
      (or one). Appends them to the aq_predictions group (earlier forecasts are never changed),
      joins earlier forecasts with the observations that arrived since (hindcast), and writes
      charts (SVG and PNG) to the store's charts/ directory. Over the Beijing replay the weather
      "forecast" is the recorded weather: a perfect forecast, and labelled so.`;

export const FV_HELP = `airq fv — inspect feature views, and export training data as files

  airq fv list [--json]                      every view version, its labels and training datasets
  airq fv show NAME [--version N] [--json]   query, features, labels, transformations, datasets
  airq fv export NAME --out DIR [--version N] [--training-dataset N] [--split S]
                 [--format F] [--force] [--json]
      writes a saved training dataset version as files to train on elsewhere: one file per split
      (train.parquet, validation.parquet, test.parquet), each with the features after the view's
      transformations, then the labels, then the training helper columns, exactly the rows the
      version recorded; then DIR/manifest.json: the view and training dataset versions, the split,
      the commit each source group was read as of, each column's type and role, each file's rows.
      With --json the last line of stdout is the manifest (and "dir").

  --version N             the feature view version (default: the latest)
  --training-dataset N    the training dataset version (default: the latest; fv show lists them)
  --split S               train, validation or test (default: every split the version has; a
                          version that was not split has only train)
  --format F              parquet (default) or csv
  --force                 replace an export of something else in DIR (the same export is
                          replaced without it)`;

export const IMPORT_HELP = `airq import — bring historical data into the store

  airq import beijing DIR [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--json]
      every UCI Beijing station file (PRSA_Data_<Station>_*.csv[.gz]) in DIR -> locations,
      air_quality, weather and air_quality_lags; importing another folder adds its stations;
      re-running writes nothing new; rows outside --start/--end are not read

  airq import aqicn FILE --location ID --name NAME --lat X --lon Y
                    [--city C] [--country CC] [--timezone TZ] [--json]
      an aqicn.org "Download this data" CSV (either header style) for one location; its US-EPA
      AQI values are converted to µg/m³ with EPA's 2012 PM2.5 breakpoints

  Every row is checked first. A file with a bad row is refused, nothing is written, and the error
  names file, line and column (the first 10 bad rows are listed, the rest counted). Bad rows: a
  field count that differs from the header; a station other than the file name's; the same hour
  (beijing) or day (aqicn) twice; a year outside 1970 to next year, a month or day that does not
  exist; an hour that is not a whole number 0-23; a value that is not a number (missing is NA or
  blank for beijing, blank for aqicn) or impossible (negative concentrations, PM2.5 over 1000...).

  --skip-bad-rows            import the good rows; skip the bad ones and count them by reason
                             (of a duplicated hour or day the first is kept)
  --allow-nulls-over-values  let the file's missing values replace values the store holds. Without
                             it a stored value is kept where the file has NA or a blank (or too few
                             hours for a daily mean), and the summary says how many were kept
  --check                    dry run: check the files and report per group the new, updated and
                             unchanged rows, values kept or nulled and bad rows; writes nothing and
                             creates no store`;

export const MCP_HELP = `airq mcp — serve airq's tools to MCP clients (Claude Desktop, the MCP Inspector, agents)

  airq mcp            over stdio: the client starts this command and talks JSON-RPC on stdin/stdout
  airq mcp --http [--port N] [--host H]
                      over Streamable HTTP at http://H:N/mcp (default 127.0.0.1:8765; --port 0
                      picks a free port). Bound to this machine it refuses foreign Origin and Host
                      headers; with AIRQ_MCP_TOKEN set every request needs Authorization: Bearer
                      <token>, checked before the body is read. Bodies over 1 MiB are refused.
                      Another --host without a token needs --allow-unauthenticated (then warns).
                      Serves 2026-07-28 clients and the older initialize-based ones; other paths 404.
  --cors-origin ORIGIN
                      with --http: let a browser app at ORIGIN call (repeatable): its preflight is
                      answered and responses carry the CORS headers.

The server reads the store's latest snapshot (--store DIR or AIRQ_STORE) and follows it: pipelines may
write the store meanwhile, and each tool call sees their last commit. "Today" is the store's own (--today
overrides).
Tools: list_locations, get_air_quality_history, get_air_quality_forecast, find_similar_days,
search_similar, get_feature_vector, explain_forecast, list_feature_groups, get_data_status; resources
(airq://status among them) and prompts.

  --allow-add-places  also serve add_place {name | latitude+longitude}: a client may add a place (geocoded,
                      a year of history, retrained, forecast, with progress). Off by default: it writes.`;

export const MODELS_HELP = `airq models — the model registry

  airq models list [--json]                        every model version with its metrics
  airq models show NAME [--version N] [--json]     the model card: metrics, features, lineage, artifacts`;

export const PIPELINE_HELP = `airq pipeline — run the feature pipeline

  airq pipeline backfill [--source live|beijing|synthetic] [--path DIR] [--start D] [--end D] [--json]
      observations of a date range (live: Open-Meteo for Stockholm Hornsgatan, default the year
      before today; beijing: everything in the files; synthetic: the three years before today)
  airq pipeline daily [--date D] [--json]
      one day as if it had just arrived, plus the weather forecast for the next 7 days. The day is
      --date, else --today, else the store's next day: the day after its "today" for a replay or
      synthetic store (the run brings the store to that day), the real date for a live one.
      Live: with AQICN_API_KEY set, the day's PM2.5 comes from the aqicn station
      (AIRQ_AQICN_STATION, default Hornsgatan 108), else from the CAMS model. Over the Beijing data
      this is replay mode: the "forecast" is the weather that was later recorded (a perfect
      forecast); the data ends on 2017-02-28. The synthetic city's forecasts carry an error that
      grows with lead time.

The source is remembered in the store after the first run; a store holds one source.`;

export const SERVE_HELP = `airq serve [--port N] [--host H [--allow-unauthenticated]] [--llm builtin|openai] [--run-at HH:MM | --no-schedule] — the web page

  --port N        the port (default 8080; 0 picks a free one)
  --host H        the address to listen on (default 127.0.0.1, this machine only, which refuses foreign
                  Host and Origin headers); another address needs AIRQ_SERVE_TOKEN (every request
                  then carries Authorization: Bearer <token>, or the cookie that opening the page
                  once with ?token=<token> sets), or --allow-unauthenticated (then warns)
  --llm M         the chat's model: builtin (offline planner) or openai (OPENAI_API_KEY / OPENAI_BASE_URL)
  --run-at HH:MM  runs \`airq run\` every day at this local time in the places' time zones (default
                  06:00), in a child process while the page stays up; and once at start when the
                  store is stale. \`airq status\` shows the next run.
  --no-schedule   no runs: keep the store fresh another way (cron, CI; see the README)

The first stdout line is the page's address. Pages: / (every location), /locations/ID, /status;
JSON: /api. At most 16 chats stream at once, 2 per client; more get 429 with Retry-After.

Feature server (like Feast's \`feast serve\`), for programs and other machines:
  POST /features/VIEW/VERSION
                  body {"entities": [{"location_id": "beijing-dongsi"}, …]} (1-1000 entities; or
                  columns {"entities": {"location_id": ["…", "…"]}}), optional "passedFeatures" (one
                  object, or one per entity) and "returnType": "object" or "array"; answers
                  featureNames (training order) and per entity its vector with status found or
                  not_found, as the library's getFeatureVector serves them. Bad requests get
                  {error, hint}: 400, 404 (unknown view or version), 405, 413 (over 1 MiB), 415.
                  With AIRQ_SERVE_TOKEN it needs Authorization: Bearer <token> (not the cookie).
  GET /health     200 {"status": "ok", …}: the snapshot and commit served, the online store,
                  uptime; 503 when the store cannot be read. No token needed (with one set it
                  names no directory).`;

export const TRAIN_HELP = `airq train — train the PM2.5 forecaster and register it

  airq train [--json]
      temporal split of air_quality_fv up to today (test: the last ~15% of days, at most 180;
      validation before it: a third of the rest, at most a year, which chooses the models, measures
      the bias and calibrates the interval); one GBDT for the mean over horizons 1-7 and two
      quantile GBDTs for the 80% interval; per-horizon test metrics against persistence and
      climatology; then the mean models are fitted again on every day up to today (so the forecast
      learns the newest; the interval stays as calibrated) and registered as pm25_forecaster with
      those metrics and feature-importance and predicted-vs-actual images. Among the versions
      trained on the store's current data (feature view version and places), the one trained
      through the latest day (then the best validation RMSE) is the one \`airq forecast\` serves.
      Training the same data with the same code again registers nothing new.`;

export const BACKTEST_HELP = `airq backtest — train before a date, forecast every day after it

  airq backtest --test-start D [--test-end D] [--test-locations a,b] [--model gbdt|analog] [--weather perfect|realistic [--seed N]] [--json]
      trains on targets dated before D (the last third of them, at most a year, validate; then the
      mean models are fitted again on all of them, as airq train does), leaving the test locations
      out entirely when given (and testing only them), then forecasts each day from D on 1-7 days
      ahead. Prints per horizon: RMSE, MAE, R², bias, the 80% interval's coverage (with its 90%
      block-bootstrap interval over weeks), mean width and interval score (width + 10x any miss, µg/m³; lower is better), and RMSE of the
      persistence and climatology baselines. With --json the last line is
      {"horizons":[{"h":1,"n":…,"rmse":…,"mae":…,"r2":…,"coverage80":…,"coverage80_low":…,"coverage80_high":…,"width80":…,"interval_score80":…,"rmse_persistence":…,"rmse_climatology":…},…],"train_seconds":…}
      --model gbdt (default): the GBDT forecaster; --model analog: the analog ensemble, the 25 past
      days (before D) whose weather and the day before's are nearest, their PM2.5 as the forecast
      --weather perfect (default): the test days read the weather later recorded (a perfect weather
      forecast); realistic: that weather with the errors of a weather forecast, growing with lead
      time (seeded by --seed N, default 1; the interval is then calibrated the same way)
      Refused with exit 2, before anything is written: an unknown test location, a --test-start
      after the data, fewer than 60 observed days to train on, fewer than 7 to test`;

export const PLACES_HELP = `airq places — the places a live store keeps fresh

  airq places add NAME [--lat X --lon Y] [--timezone TZ] [--sensor aqicn:FEED | openaq:ID]
                  [--pick N] [--no-run] [--json]
      adds a place and backfills a year of observed daily weather (Open-Meteo) and PM2.5, PM10 and
      NO2: from its sensor when it has one (aqicn with AQICN_API_KEY; OpenAQ with OPENAQ_API_KEY),
      else CAMS model values from Open-Meteo, labelled as model values. Without coordinates NAME is
      looked up with Open-Meteo's geocoder ("Springfield, Illinois" narrows by region or country);
      when several places match they are listed: choose with --pick N. The id is a slug of NAME
      (Berlin Neukölln -> berlin-neukolln). Then runs \`airq run\` (retrains with the new place and
      forecasts) unless --no-run.
  airq places list [--json]           every place, its source, last observation and forecast
  airq places remove ID [--keep-data] removes a place and its data (the prediction log stays)

  Examples:
    airq places add "Berlin Neukölln"
    airq places add Springfield --pick 2
    airq places add Home --lat 59.334 --lon 18.063
    airq places add "Hornsgatan" --sensor aqicn:@10009`;

export const RUN_HELP = `airq run — bring the store up to date

  airq run [--json]
      for every place, whatever is missing up to today: the days it has not seen (after a week
      offline it catches up the week), the day's features and the weather forecast for the next 7
      days; then retrains the forecaster when due (a place was added or removed, the model is older
      than 7 days, the last 14 days' 1-day hindcast RMSE exceeds its validation RMSE by 30%, or
      \`airq monitor\` raises an alert and the model is 3 days old),
      forecasts with the interval, writes charts and the hindcast, day patterns and the knowledge
      base. A second run on the same day writes nothing and says so. One place's source failing
      does not stop the others: the run ends with exit code 1, names what failed, and the next run
      retries it. Every run is recorded in the pipeline_runs feature group (see \`airq status\`).
      Over the UCI Beijing replay it advances the replay to --today; the synthetic city follows the
      real date.

  Schedule it: \`airq serve\` runs it daily at 06:00 in the places' time zones (--run-at), or
  cron: 0 6 * * * cd /path/to/project && npx airq run --store .airq >> airq-run.log 2>&1`;

export const MONITOR_HELP = `airq monitor — is the forecaster still seeing what it learned from, and still as accurate?

  airq monitor [--window DAYS] [--location ID] [--json]
      over the DAYS (default 30, 14 to 365) up to the store's today:
      feature drift: per place, each input of the forecast view (the target day's weather and the
        PM2.5 state) against the same calendar days of the earlier years the served model was
        trained on, by the population stability index (PSI); an input drifts past what those
        years showed among themselves (the 95th percentile of their leave-one-year-out PSIs, at
        least 0.25) and is watched past half of that; not judged until some place has two earlier
        years of these days;
      forecasts once observed: per place, the RMSE and 80% interval coverage of the 1- and 3-day
        forecasts, against the served model's backtest RMSE with weather forecasts (an alert past
        1.5x, or at a coverage a sound 80% interval shows less than 1% of the time: 6 or fewer of
        14; judged from 14 observed forecasts).
      Prints the alerts, then both tables; --json prints the whole report as one JSON line.
      Refused with exit 2: a window outside 14-365 days, an unknown place, a window with fewer
      than 14 observed days (dates outside the data).`;

export const ONLINE_HELP = `airq online — the online store: where the latest feature values are served from

  AIRQ_ONLINE_STORE=memory (the default): every serving process (airq mcp, airq serve, ask) loads
  the online tables from the store into its own memory. AIRQ_ONLINE_STORE=redis://HOST:PORT/DB
  (Redis 7 or Valkey; rediss:// for TLS, redis://:PASSWORD@HOST:PORT/DB): the writer copies each
  commit's latest rows to Redis before the commit returns, and any number of serving processes
  read them there — replicas on other machines too. A Redis that cannot be reached is an error
  at start.

  airq online status [--json]
      the online store in use; with Redis, whether it answers and, per online feature group, the
      store's last commit and the commit Redis holds ("in step", "behind", "not synced").
      --json: {"kind", "server", "namespace", "ping", "groups": [{"group", "version", "commit",
      "redis", "state"}]}.

  airq online sync [--full] [--json]
      brings Redis up to each online group's last commit, writing only the keys changed since
      the commit Redis holds (--full: every key, after clearing the group's keys). Every writing
      command does this as it opens the store and after each commit; this does it on demand,
      e.g. after Redis lost its data, or to fill a new Redis. --json: {"synced": [{"group",
      "version", "mode", "from", "to", "written", "deleted"}], "groups": [...]}.`;

export const STATUS_HELP = `airq status — how fresh the store is

  airq status [--json]
      today in the store; per place its data source (measurements or model values), last
      observation and latest forecast, and what is stale in words; the served model and whether a
      retrain is due; the last run (from pipeline_runs) and the next (when \`airq serve\` schedules
      runs); the monitoring alerts of the last 30 days and what could not be judged (airq monitor).
      --json: {"today", "places": [{"id", "name", "source", "last_observation", "forecast_issued",
      "forecast_until", "stale"}], "model", "last_run", "next_run", "stale", "alerts", "not_judged"}.

  airq status --verify [--json]
      checks that the store agrees with itself: each feature group's rows with its commit log
      (commit by commit), online lookups with the latest offline rows, each vector index finds
      rows by their own vectors, each registered model's files exist. It opens the store file
      itself, as writing commands do (waiting up to --wait for a writer; queued traces are
      applied), so it checks what a crash left. Exit 0 when consistent, else 1 with one line per
      disagreement. --json: {"ok", "problems", "checked"}.`;
