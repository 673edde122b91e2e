// The `airq` command: dispatches to subcommands; exit 0 on success, 1 on failure, 2 on bad usage.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './core/data-dir.js';
import { AppError, errorMessage, UsageError } from './core/errors.js';
import { benchCommand } from './cli/commands/bench.js';
import { fgCommand } from './cli/commands/fg.js';
import { fvCommand } from './cli/commands/fv.js';
import { importCommand } from './cli/commands/import.js';
import { demoCommand } from './cli/commands/demo.js';
import { downloadCommand } from './cli/commands/download.js';
import { pipelineCommand } from './cli/commands/pipeline.js';
import { modelsCommand } from './cli/commands/models.js';
import { backtestCommand, trainCommand } from './cli/commands/train.js';
import { forecastCommand } from './cli/commands/forecast.js';
import { embedCommand } from './cli/commands/embed.js';
import { mcpCommand } from './cli/commands/mcp.js';
import { askCommand, chatCommand, tracesCommand } from './cli/commands/ask.js';
import { evalCommand } from './cli/commands/eval.js';
import { serveCommand } from './cli/commands/serve.js';

const HELP = `airq — air-quality AI on an embedded feature store

Usage: airq <command> [options]

Commands available now:
  demo                  build a ready store from the Beijing data    (airq demo --help)
  pipeline backfill|daily  run the feature pipeline (Beijing replay) (airq pipeline --help)
  import beijing|aqicn  import UCI Beijing files or an aqicn export  (airq import --help)
  download beijing      fetch the public UCI Beijing archive          (airq download --help)
  train                 train and register the PM2.5 forecaster    (airq train --help)
  forecast              7-day forecasts, hindcast and charts        (airq forecast --help)
  backtest --test-start D  train before D, evaluate every day after  (airq backtest --help)
  embed                 embed the knowledge base and day patterns   (airq embed --help)
  mcp                   serve the tools to MCP clients over stdio   (airq mcp --help)
  ask "question"        answer a question with the agent           (airq ask --help)
  chat                  talk with the agent                        (airq chat --help)
  traces                the spans of recent agent runs             (airq traces --help)
  eval                  grade the agent on eval questions; gate    (airq eval --help)
  serve                 the web page: forecasts, hindcasts, chat   (airq serve --help)
  fg list|show|read     inspect the feature groups of a store      (airq fg --help)
  fv list|show          inspect feature views and training data     (airq fv --help)
  models list|show      the model registry and model cards          (airq models --help)
  bench NAME [--json]   run a benchmark: online, insert, pit, vector, backfill, mcp, agent… (airq bench --help)

Global options:
  --store DIR           the store directory (default ./.airq, env AIRQ_STORE)
  --today YYYY-MM-DD    what "today" is (env AIRQ_TODAY; default: the real date)
  -h, --help            help for airq or for a command
  -v, --version         print the version

Exit codes: 0 success, 1 failure, 2 bad usage.`;

const COMMANDS: Record<string, (argv: readonly string[]) => Promise<void>> = {
  demo: demoCommand,
  import: importCommand,
  download: downloadCommand,
  pipeline: pipelineCommand,
  fg: fgCommand,
  fv: fvCommand,
  models: modelsCommand,
  train: trainCommand,
  forecast: forecastCommand,
  backtest: backtestCommand,
  embed: embedCommand,
  mcp: (argv) => mcpCommand(argv, version()),
  ask: (argv) => askCommand(argv, version()),
  chat: (argv) => chatCommand(argv, version()),
  traces: tracesCommand,
  eval: (argv) => evalCommand(argv, version()),
  serve: (argv) => serveCommand(argv, version()),
  bench: benchCommand,
};

function version(): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    if (command === '--version' || command === '-v') {
      process.stdout.write(`${version()}\n`);
      return 0;
    }
    const run = COMMANDS[command];
    if (!run) throw new UsageError(`unknown command "${command}"; run \`airq --help\` for the list`);
    await run(rest);
    return 0;
  } catch (e) {
    process.stderr.write(`airq: ${errorMessage(e).split('\n')[0]}\n`);
    if (!(e instanceof AppError) && process.env.AIRQ_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}

// A reader that stops early (\`airq fg read x | head\`) closes the pipe: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
process.exitCode = await main(process.argv.slice(2));
