// What every command gets: the store directory, today's override, the wait limit, the logger and the output; and how it opens the store.
import { z } from 'zod';
import { fixedClock } from '../core/clock.js';
import { loadConfig } from '../core/config.js';
import { isIsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import { createLogger, type Logger } from '../core/logger.js';
import { progressReporter, type ProgressFn } from '../core/progress.js';
import { warmForServing } from '../airquality/services/moment.js';
import { todayOf } from '../airquality/store-clock.js';
import { selectEmbedder, type Embedder } from '../embed/index.js';
import { resolve } from 'node:path';
import { FeatureStore, LiveStore } from '../store/index.js';
import { option, type Parsed } from './args.js';
import { io } from './io.js';
import { stdout, type Out } from './output.js';

export interface CliContext {
  storeDir: string;
  /** --today or AIRQ_TODAY when given: it overrides the store's own clock. */
  todayOverride: string | undefined;
  /** How long a command that writes waits while another process writes the store, in ms (--wait). */
  waitMs: number;
  /** What is running, for the messages of writers that wait for it ("airq pipeline daily"). */
  command: string;
  log: Logger;
  out: Out;
  /** A progress display on stderr; silent when the log level is above info. */
  progress(label: string): ProgressFn;
}

const WaitSeconds = z.coerce
  .number({ error: 'must be a whole number of seconds from 0 to 86400' })
  .int('must be a whole number of seconds from 0 to 86400')
  .min(0, 'must be a whole number of seconds from 0 to 86400')
  .max(86_400, 'must be a whole number of seconds from 0 to 86400');

export function contextFrom(p: Parsed): CliContext {
  const env = io().env;
  const config = loadConfig(env);
  const today = typeof p.values.today === 'string' ? p.values.today : config.today;
  if (today !== undefined && !isIsoDate(today)) throw new UsageError(`--today must be a date written YYYY-MM-DD, got "${today}"`);
  const waitMs = option(WaitSeconds, p.values.wait ?? '60', 'wait') * 1000;
  const storeDir = resolve(typeof p.values.store === 'string' ? p.values.store : config.storeDir);
  const quiet = config.logLevel !== 'debug' && config.logLevel !== 'info';
  const stderr = { write: (s: string) => io().stderr(s), isTTY: io().stderrIsTTY };
  const progress = (label: string): ProgressFn => (quiet ? () => undefined : progressReporter(label, stderr));
  const log = createLogger(config.logLevel, (line) => io().stderr(line));
  return { storeDir, todayOverride: today, waitMs, command: `airq ${p.command}`, log, out: stdout, progress };
}

/** The clock for TTLs: --today's end of day when given, else the system clock. */
const ttlClock = (ctx: CliContext) => (ctx.todayOverride === undefined ? undefined : fixedClock(ctx.todayOverride));

/** Opens the store for writing, waiting up to --wait for another writer and saying so once. */
export function openForWriting(ctx: CliContext): Promise<FeatureStore> {
  return FeatureStore.open({
    dir: ctx.storeDir,
    clock: ttlClock(ctx),
    wait: { waitMs: ctx.waitMs, command: ctx.command, onWait: (m) => ctx.log.warn(m) },
    log: ctx.log,
  });
}

/** Opens the latest read snapshot of an existing store, for commands that only look. */
export function openForReading(ctx: CliContext): Promise<FeatureStore> {
  return FeatureStore.open({ dir: ctx.storeDir, readOnly: true, clock: ttlClock(ctx), wait: { waitMs: ctx.waitMs }, log: ctx.log });
}

/** A reader that follows the writer, for long-running commands (mcp, serve, chat). */
export function openLive(ctx: CliContext): Promise<LiveStore> {
  return LiveStore.open({ dir: ctx.storeDir, clock: ttlClock(ctx), wait: { waitMs: ctx.waitMs }, log: ctx.log, prepare: warmForServing });
}

/** The text embedder of the store's documents, chosen on first use and kept. */
export function lazyEmbedder(ctx: CliContext): () => Promise<Embedder> {
  let chosen: Promise<Embedder> | undefined;
  return () => (chosen ??= selectEmbedder(ctx.storeDir).then((s) => s.embedder));
}

/** --today, else the store's own clock. */
export function todayFor(ctx: CliContext, store: FeatureStore): string {
  return todayOf(store, ctx.todayOverride);
}
