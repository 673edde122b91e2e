// What every command gets: the resolved store directory, the clock, the logger and the output.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { clockFor, type Clock } from '../core/clock.js';
import { loadConfig } from '../core/config.js';
import { isIsoDate } from '../core/dates.js';
import { ConfigError, UsageError } from '../core/errors.js';
import { createLogger, type Logger } from '../core/logger.js';
import { progressReporter, type ProgressFn } from '../core/progress.js';
import { DB_FILE, FeatureStore } from '../store/feature-store.js';
import type { Parsed } from './args.js';
import { stdout, type Out } from './output.js';

export interface CliContext {
  storeDir: string;
  clock: Clock;
  log: Logger;
  out: Out;
  /** A progress display on stderr; silent when the log level is above info. */
  progress(label: string): ProgressFn;
}

export function contextFrom(p: Parsed, env: NodeJS.ProcessEnv = process.env): CliContext {
  const config = loadConfig(env);
  const today = typeof p.values.today === 'string' ? p.values.today : config.today;
  if (today !== undefined && !isIsoDate(today)) throw new UsageError(`--today must be a date written YYYY-MM-DD, got "${today}"`);
  const storeDir = resolve(typeof p.values.store === 'string' ? p.values.store : config.storeDir);
  const quiet = config.logLevel !== 'debug' && config.logLevel !== 'info';
  const progress = (label: string): ProgressFn => (quiet ? () => undefined : progressReporter(label));
  return { storeDir, clock: clockFor(today), log: createLogger(config.logLevel), out: stdout, progress };
}

/** Opens an existing store read-only, for commands that only look. */
export async function openExistingStore(ctx: CliContext): Promise<FeatureStore> {
  if (!existsSync(join(ctx.storeDir, DB_FILE))) {
    throw new ConfigError(`no airq store in ${ctx.storeDir}; pass --store DIR (or set AIRQ_STORE) to point at one`);
  }
  return FeatureStore.open({ dir: ctx.storeDir, readOnly: true, clock: ctx.clock });
}
