// The one table of airq's commands: the top-level help, each command's help, and the code loaded only when it runs.
import { BENCH_DESCRIPTIONS, BENCH_HELP } from './bench-help.js';
import * as H from './help-texts.js';
import { wrapText } from './wrap.js';

export type Run = (argv: readonly string[], version: string) => Promise<void>;

export interface CommandSpec {
  name: string;
  /** Its line in `airq --help`. */
  summary: string;
  /** `airq NAME --help` (the global options follow it). */
  help: string;
  /** The command's code, imported when it runs: help and unrelated commands load none of it. */
  load(): Promise<Run>;
}

const c = (name: string, summary: string, help: string, load: () => Promise<Run>): CommandSpec => ({ name, summary, help, load });

export const COMMANDS: readonly CommandSpec[] = [
  c(
    'demo',
    'build a ready store: data, model, forecasts (live, synthetic or Beijing)',
    H.DEMO_HELP,
    async () => (await import('./commands/demo.js')).demoCommand,
  ),
  c(
    'places',
    'your places: add|list|remove (a year of history, then kept fresh)',
    H.PLACES_HELP,
    async () => (await import('./commands/places.js')).placesCommand,
  ),
  c('run', 'bring the store up to date: data, retraining when due, forecasts', H.RUN_HELP, async () => (await import('./commands/run.js')).runCommand),
  c(
    'status',
    'how fresh the data, forecasts and model are; last and next run',
    H.STATUS_HELP,
    async () => (await import('./commands/status.js')).statusCommand,
  ),
  c(
    'monitor',
    'feature drift and forecast accuracy per place, with alerts',
    H.MONITOR_HELP,
    async () => (await import('./commands/monitor.js')).monitorCommand,
  ),
  c('pipeline', 'run the feature pipeline: backfill|daily', H.PIPELINE_HELP, async () => (await import('./commands/pipeline.js')).pipelineCommand),
  c('import', 'import UCI Beijing files or an aqicn export: beijing|aqicn', H.IMPORT_HELP, async () => (await import('./commands/import.js')).importCommand),
  c('download', 'fetch the public UCI Beijing archive: beijing', H.DOWNLOAD_HELP, async () => (await import('./commands/download.js')).downloadCommand),
  c('train', 'train and register the PM2.5 forecaster', H.TRAIN_HELP, async () => (await import('./commands/train.js')).trainCommand),
  c('forecast', '7-day forecasts, hindcast and charts', H.FORECAST_HELP, async () => (await import('./commands/forecast.js')).forecastCommand),
  c('backtest', 'train before a date, evaluate every day after it', H.BACKTEST_HELP, async () => (await import('./commands/train.js')).backtestCommand),
  c('embed', 'embed the knowledge base and the day patterns', H.EMBED_HELP, async () => (await import('./commands/embed.js')).embedCommand),
  c('mcp', 'serve the tools to MCP clients (stdio or HTTP)', H.MCP_HELP, async () => (await import('./commands/mcp.js')).mcpCommand),
  c('ask', 'answer a question with the agent: ask "question"', H.ASK_HELP, async () => (await import('./commands/ask.js')).askCommand),
  c('chat', 'talk with the agent', H.CHAT_HELP, async () => (await import('./commands/ask.js')).chatCommand),
  c('traces', 'the spans of recent agent runs', H.TRACES_HELP, async () => (await import('./commands/ask.js')).tracesCommand),
  c('eval', 'grade the agent on eval questions; the CI gate', H.EVAL_HELP, async () => (await import('./commands/eval.js')).evalCommand),
  c('serve', 'the web page: forecasts, hindcasts, chat', H.SERVE_HELP, async () => (await import('./commands/serve.js')).serveCommand),
  c('online', 'the online store (memory or Redis): status|sync', H.ONLINE_HELP, async () => (await import('./commands/online.js')).onlineCommand),
  c('fg', 'inspect feature groups: list|show|read', H.FG_HELP, async () => (await import('./commands/fg.js')).fgCommand),
  c('fv', 'inspect feature views and export training data: list|show|export', H.FV_HELP, async () => (await import('./commands/fv.js')).fvCommand),
  c('models', 'the model registry and model cards: list|show', H.MODELS_HELP, async () => (await import('./commands/models.js')).modelsCommand),
  c('bench', `run a benchmark: ${Object.keys(BENCH_DESCRIPTIONS).join(', ')}`, BENCH_HELP, async () => (await import('./commands/bench.js')).benchCommand),
];

export const GLOBAL_HELP = `Global options:
  --store DIR           the store directory (default ./.airq, env AIRQ_STORE)
  --today YYYY-MM-DD    what "today" is (env AIRQ_TODAY; default: the store's own clock: the day a
                        replay or synthetic store was brought to, the real date for live data)
  --wait SECONDS        commands that write: how long to wait while another process writes the
                        store (default 60; 0 fails at once)
  -h, --help            help for airq or for a command
  -v, --version         print the version`;

export function topLevelHelp(): string {
  return wrapText(topLevelText());
}

function topLevelText(): string {
  const width = Math.max(...COMMANDS.map((x) => x.name.length)) + 2;
  return `airq — air-quality AI on an embedded feature store

Usage: airq <command> [options]      (airq <command> --help for one command)

Commands:
${COMMANDS.map((x) => `  ${x.name.padEnd(width)}${x.summary}`).join('\n')}

${GLOBAL_HELP}

Exit codes: 0 success, 1 failure, 2 bad usage.`;
}

export function commandHelp(spec: CommandSpec): string {
  return wrapText(`${spec.help}\n\n${GLOBAL_HELP}`);
}
