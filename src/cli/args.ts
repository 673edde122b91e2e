// Command-line parsing on node:util parseArgs (strict), with zod for option values and usage errors for the rest.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { UsageError, ValidationError, errorMessage } from '../core/errors.js';
import { formatZodIssues } from '../core/validate.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** Options every command takes. */
export const GLOBAL_OPTIONS = {
  store: { type: 'string' },
  today: { type: 'string' },
  wait: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** The command as typed, e.g. "pipeline daily". */
  command: string;
}

/** `--lon -73.99` -> `--lon=-73.99` for string options: negative numbers are values, not options. */
function joinNegativeNumbers(argv: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const name = a.startsWith('--') ? a.slice(2) : undefined;
    const next = argv[i + 1];
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

export function parse(argv: readonly string[], options: Options, command: string): Parsed {
  const all = { ...GLOBAL_OPTIONS, ...options };
  try {
    const { values, positionals } = parseArgs({
      args: joinNegativeNumbers(argv, all),
      options: all,
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Parsed['values'], positionals, command };
  } catch (e) {
    const msg = errorMessage(e);
    const dashed = /Option '(--[^']+)' argument is ambiguous/.exec(msg);
    const text = dashed
      ? `${dashed[1]} needs a value; write a value that starts with a dash as ${dashed[1]}=VALUE`
      : msg.split('\n')[0]!.replace(/\. To specify.*$/, '');
    throw new UsageError(`${command}: ${text} (see \`airq ${command} --help\`)`);
  }
}

/** An option value checked with zod; a bad value is a usage error naming the option. */
export function option<S extends z.ZodType>(schema: S, value: unknown, name: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new UsageError(`--${name}: ${formatZodIssues(r.error).replace(/^input: /, '')}`);
  return r.data;
}

export function positional(p: Parsed, index: number, what: string, command: string): string {
  const v = p.positionals[index];
  if (v === undefined) throw new UsageError(`${command}: missing ${what} (see \`airq ${command} --help\`)`);
  return v;
}

/** `fn`'s ValidationError (input the data refuses) as a usage error of `command`: a clear line and exit code 2. */
export async function asUsage<T>(command: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw e instanceof ValidationError ? new UsageError(`${command}: ${e.message}`) : e;
  }
}

export function noMorePositionals(p: Parsed, count: number, command: string): void {
  if (p.positionals.length > count) {
    throw new UsageError(`${command}: unexpected argument "${p.positionals[count]}" (see \`airq ${command} --help\`)`);
  }
}

/** Options of one subcommand given to another: a usage error rather than silently ignored. */
export function refuseOptions(p: Parsed, options: Options, sub: string, command: string): void {
  const given = Object.keys(options).find((o) => p.values[o] !== undefined);
  if (given !== undefined) throw new UsageError(`${command} ${sub}: --${given} belongs to another subcommand (see \`airq ${command} --help\`)`);
}

/** --port of the servers (airq mcp --http, airq serve): 0 asks the system for a free port. */
export const PortOption = z.coerce.number({ error: 'must be a port number from 0 (any free port) to 65535' }).int().min(0).max(65535);
/** --host of the servers: a name or an address, nothing that could smuggle a URL. */
export const HostOption = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9.:_-]+$/, 'must be a host name or IP address');
