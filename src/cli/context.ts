// What every command gets: the store directory, today's override, the wait limit, the logger and the output; and how it opens the store.
import { z } from 'zod';
import { fixedClock } from '../core/clock.js';
import { loadConfig, onlineStoreConfig, textStatistics, type OnlineStoreConfig } from '../core/config.js';
import { isIsoDate } from '../core/dates.js';
import { ConfigError, UsageError } from '../core/errors.js';
import { createLogger, type Logger } from '../core/logger.js';
import { progressReporter, type ProgressFn } from '../core/progress.js';
import { warmForServing } from '../airquality/services/moment.js';
import { checkTodayForWriting, todayOf } from '../airquality/store-clock.js';
import { selectEmbedder, type Embedder } from '../embed/index.js';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DB_FILE, FeatureStore, LiveStore } from '../store/index.js';
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
  /** AIRQ_ONLINE_STORE: the in-process online tables (memory) or a shared Redis. */
  online: OnlineStoreConfig;
}

const WAIT_RANGE = 'must be a whole number of seconds from 0 to 86400';
const WaitSeconds = z.coerce.number({ error: WAIT_RANGE }).int(WAIT_RANGE).min(0, WAIT_RANGE).max(86_400, WAIT_RANGE);

export function contextFrom(p: Parsed): CliContext {
  const env = io().env;
  const config = loadConfig(env);
  textStatistics(env); // a bad AIRQ_TEXT_STATISTICS stops the command here, not at its first insert
  const online = onlineStoreConfig(env); // and a Redis URL of the wrong shape here
  const today = typeof p.values.today === 'string' ? p.values.today : config.today;
  if (today !== undefined && !isIsoDate(today)) throw new UsageError(`--today must be a date written YYYY-MM-DD, got "${today}"`);
  const waitMs = option(WaitSeconds, p.values.wait ?? '60', 'wait') * 1000;
  const storeDir = resolve(typeof p.values.store === 'string' ? p.values.store : config.storeDir);
  const quiet = config.logLevel !== 'debug' && config.logLevel !== 'info';
  const stderr = { write: (s: string) => io().stderr(s), isTTY: io().stderrIsTTY };
  const progress = (label: string): ProgressFn => (quiet ? () => undefined : progressReporter(label, stderr));
  const log = createLogger(config.logLevel, (line) => io().stderr(line));
  return { storeDir, todayOverride: today, waitMs, command: `airq ${p.command}`, log, out: stdout, progress, online };
}

/** The clock for TTLs: --today's end of day when given, else the system clock. */
const ttlClock = (ctx: CliContext) => (ctx.todayOverride === undefined ? undefined : fixedClock(ctx.todayOverride));

/**
 * Runs `fn` as the store's writer and closes the store after. Commands that make stores (`create`)
 * may start one; the others need an existing store, so a mistyped --store is an error, not a new
 * empty store. A store this command started is removed again when it fails: bad input changes nothing.
 */
export async function withWriter<T>(ctx: CliContext, options: { create: boolean }, fn: (store: FeatureStore) => Promise<T>): Promise<T> {
  const existed = existsSync(join(ctx.storeDir, DB_FILE));
  if (!existed && !options.create) {
    throw new ConfigError(`there is no airq store in ${ctx.storeDir}; make one with \`airq demo\`, or point --store (or AIRQ_STORE) at one`);
  }
  // What was in a directory that holds no store yet, so a failed first run removes only what it made.
  const before = !existed && existsSync(ctx.storeDir) && statSync(ctx.storeDir).isDirectory() ? new Set(readdirSync(ctx.storeDir)) : undefined;
  const store = await openForWriting(ctx);
  let ok = false;
  try {
    const value = await fn(store);
    ok = true;
    return value;
  } finally {
    await store.close();
    if (!ok && !existed) removeWhatWasMade(ctx.storeDir, before);
  }
}

/** After a failed first run: the directory it created, or (`before`: what was there) the entries it added to one. */
function removeWhatWasMade(dir: string, before: Set<string> | undefined): void {
  if (before === undefined) return rmSync(dir, { recursive: true, force: true });
  for (const entry of readdirSync(dir)) if (!before.has(entry)) rmSync(join(dir, entry), { recursive: true, force: true });
}

/** Opens the store for writing, waiting up to --wait for another writer and saying so once. */
export function openForWriting(ctx: CliContext): Promise<FeatureStore> {
  return FeatureStore.open({
    dir: ctx.storeDir,
    clock: ttlClock(ctx),
    wait: { waitMs: ctx.waitMs, command: ctx.command, onWait: (m) => ctx.log.warn(m) },
    log: ctx.log,
    online: ctx.online,
  });
}

/** Opens the latest read snapshot of an existing store, for commands that only look. */
export function openForReading(ctx: CliContext): Promise<FeatureStore> {
  return FeatureStore.open({ dir: ctx.storeDir, readOnly: true, clock: ttlClock(ctx), wait: { waitMs: ctx.waitMs }, log: ctx.log, online: ctx.online });
}

/** A reader that follows the writer, for long-running commands (mcp, serve, chat). */
/** The store for serving; `warm` (default) loads the online tables at open, for sessions that answer many questions. */
export function openLive(ctx: CliContext, options: { warm?: boolean } = {}): Promise<LiveStore> {
  const prepare = options.warm === false ? undefined : warmForServing;
  return LiveStore.open({ dir: ctx.storeDir, clock: ttlClock(ctx), wait: { waitMs: ctx.waitMs }, log: ctx.log, prepare, online: ctx.online });
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

/** todayFor a command that writes: a --today outside the store's data is refused (it would write rows made of nothing). */
export async function writingToday(ctx: CliContext, store: FeatureStore): Promise<string> {
  if (ctx.todayOverride !== undefined) await checkTodayForWriting(store, ctx.todayOverride);
  return todayFor(ctx, store);
}
