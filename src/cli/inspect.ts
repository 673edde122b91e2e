// The shared shape of the inspection commands (fg, fv, models): a subcommand, --json, --version, a read-only store.
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import type { FeatureStore } from '../store/index.js';
import { option, parse, type Options, type Parsed } from './args.js';
import { contextFrom, openForReading, type CliContext } from './context.js';

const VERSION_RANGE = 'must be a version number from 1 to 100000';
const Version = z.coerce.number({ error: VERSION_RANGE }).int(VERSION_RANGE).min(1, VERSION_RANGE).max(100_000, VERSION_RANGE).optional();

export interface Inspection {
  sub: string;
  p: Parsed;
  ctx: CliContext;
  json: boolean;
  version: number | undefined;
  store: FeatureStore;
}

/**
 * Parses `airq <command> <sub> ...` (a missing subcommand is a usage error), opens the store's
 * latest read snapshot, runs `fn`, and always closes the store.
 */
export async function inspect(
  command: string,
  subcommands: readonly string[],
  argv: readonly string[],
  fn: (i: Inspection) => Promise<void>,
  extraOptions: Options = {},
): Promise<void> {
  const [sub, ...rest] = argv;
  const p = parse(rest, { json: { type: 'boolean' }, version: { type: 'string' }, ...extraOptions }, `${command} ${sub ?? ''}`.trim());
  const ctx = contextFrom(p);
  if (sub === undefined) throw new UsageError(`${command}: say which: ${subcommands.join(', ')} (see \`airq ${command} --help\`)`);
  if (!subcommands.includes(sub)) throw new UsageError(`${command}: unknown subcommand "${sub}"; use ${subcommands.join(', ')}`);
  const version = option(Version, p.values.version, 'version');
  const store = await openForReading(ctx);
  try {
    await fn({ sub, p, ctx, json: p.values.json === true, version, store });
  } finally {
    await store.close();
  }
}
