// airq's entry point as a function: finds the command in the table, prints help without loading it, else runs it; returns 0, 1 or 2.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../core/data-dir.js';
import { diskFullError, isNoSpace } from '../core/disk-full.js';
import { AppError, errorMessage, UsageError } from '../core/errors.js';
import { loadConfig } from '../core/config.js';
import { printable } from '../core/printable.js';
import { COMMANDS, commandHelp, topLevelHelp } from './commands.js';
import { io, processIo, withIo, type Io } from './io.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

const wantsHelp = (argv: readonly string[]) => argv.some((a) => a === '--help' || a === '-h');

/** `airq --store S fg list` is `airq fg list --store S`: the global options may also come before the command. */
function globalsAfterCommand(argv: readonly string[]): readonly string[] {
  const lead: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const m = /^--(store|today|wait)(=.*)?$/.exec(argv[i]!);
    if (!m) break;
    if (m[2] !== undefined) lead.push(argv[i++]!);
    else if (argv[i + 1] === undefined) throw new UsageError(`--${m[1]} needs a value`);
    else lead.push(argv[i++]!, argv[i++]!);
  }
  return lead.length === 0 ? argv : [...argv.slice(i), ...lead];
}

/** Runs `airq ...argv` with `streams` (default: the process's); returns the exit code. */
export function main(argv: readonly string[], streams: Io = processIo): Promise<number> {
  return withIo(streams, () => dispatch(argv));
}

async function dispatch(argv: readonly string[]): Promise<number> {
  try {
    const [command, ...rest] = globalsAfterCommand(argv);
    if (command === undefined || command === '--help' || command === '-h' || (command === 'help' && rest.length === 0)) {
      io().stdout(`${topLevelHelp()}\n`);
      return 0;
    }
    if (command === '--version' || command === '-v') {
      io().stdout(`${version()}\n`);
      return 0;
    }
    const name = command === 'help' ? rest[0]! : command;
    const spec = COMMANDS.find((c) => c.name === name);
    if (!spec) throw new UsageError(`unknown command "${name}"; run \`airq --help\` for the list`);
    if (command === 'help' || wantsHelp(rest)) {
      io().stdout(`${commandHelp(spec)}\n`);
      return 0;
    }
    const run = await spec.load();
    await run(rest, version());
    return 0;
  } catch (thrown) {
    // A full disk under a file airq writes itself (model artifacts, index files) reads like the store's own.
    const e =
      !(thrown instanceof AppError) && isNoSpace(thrown) ? diskFullError((thrown as NodeJS.ErrnoException).path ?? 'a file airq writes', 'writing it') : thrown;
    // One line, control characters escaped and at most 1,000 characters: a message may quote untrusted input.
    io().stderr(`airq: ${printable(errorMessage(e).split('\n')[0]!, 1000)}\n`);
    if (!(thrown instanceof AppError) && debugOn()) io().stderr(`${(thrown as Error).stack}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}

/** AIRQ_DEBUG set: unexpected errors print their stack (a bad configuration is not one of them). */
function debugOn(): boolean {
  try {
    return loadConfig(io().env).debug;
  } catch {
    return false;
  }
}
