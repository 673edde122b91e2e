// All of airq's configuration from the environment, in one place: each part parsed with zod when it is needed, so a bad value fails with a clear message naming the variable.
import { z } from 'zod';
import { isIsoDate } from './dates.js';
import { ConfigError } from './errors.js';

type Env = NodeJS.ProcessEnv;

/** An empty variable counts as unset (`OPENAI_API_KEY=` in a shell or a .env file). */
const opt = <S extends z.ZodType>(s: S) => z.preprocess((v) => (v === '' ? undefined : v), s.optional());
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

function parseEnv<S extends z.ZodObject>(schema: S, env: Env): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConfigError(`environment variable ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
}

const PrivacySchema = z.object({ AIRQ_TEXT_STATISTICS: opt(z.enum(['0', '1'])).default('0') });

/**
 * AIRQ_TEXT_STATISTICS=1: statistics show the smallest and largest values of text columns. Off by default: a text
 * column may hold what people wrote (the questions and answers in `traces`), and statistics reach MCP clients.
 */
export function textStatistics(env: Env = process.env): boolean {
  return parseEnv(PrivacySchema, env).AIRQ_TEXT_STATISTICS === '1';
}

const CoreSchema = z.object({
  AIRQ_STORE: opt(z.string()).default('./.airq'),
  AIRQ_TODAY: opt(z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD, e.g. 2017-02-28')),
  AIRQ_LOG_LEVEL: opt(z.enum(['debug', 'info', 'warn', 'error', 'silent'])).default('info'),
  AIRQ_DATA_DIR: opt(z.string()),
  AIRQ_DEBUG: opt(z.string()),
});

export type Config = {
  storeDir: string;
  today: string | undefined;
  logLevel: z.output<typeof CoreSchema>['AIRQ_LOG_LEVEL'];
  dataDir: string | undefined;
  /** AIRQ_DEBUG: unexpected errors print their stack. */
  debug: boolean;
};

export function loadConfig(env: Env = process.env): Config {
  const e = parseEnv(CoreSchema, env);
  return { storeDir: e.AIRQ_STORE, today: e.AIRQ_TODAY, logLevel: e.AIRQ_LOG_LEVEL, dataDir: e.AIRQ_DATA_DIR, debug: e.AIRQ_DEBUG !== undefined };
}

const ProviderSchema = z.object({
  AIRQ_OPEN_METEO_ARCHIVE_URL: opt(httpUrl).default('https://archive-api.open-meteo.com/v1/archive'),
  AIRQ_OPEN_METEO_FORECAST_URL: opt(httpUrl).default('https://api.open-meteo.com/v1/forecast'),
  AIRQ_OPEN_METEO_AIR_QUALITY_URL: opt(httpUrl).default('https://air-quality-api.open-meteo.com/v1/air-quality'),
  AIRQ_OPEN_METEO_GEOCODING_URL: opt(httpUrl).default('https://geocoding-api.open-meteo.com/v1/search'),
  AQICN_API_KEY: opt(z.string()),
  AIRQ_AQICN_URL: opt(httpUrl).default('https://api.waqi.info'),
  AIRQ_AQICN_STATION: opt(z.string()),
  OPENAQ_API_KEY: opt(z.string()),
  AIRQ_OPENAQ_URL: opt(httpUrl).default('https://api.openaq.org'),
});

export interface ProviderConfig {
  openMeteo: { archive: string; forecast: string; airQuality: string; geocoding: string };
  aqicn: { token: string | undefined; baseUrl: string; station: string | undefined };
  openaq: { key: string | undefined; baseUrl: string };
}

/** The data providers: Open-Meteo (no key), aqicn (AQICN_API_KEY) and OpenAQ (OPENAQ_API_KEY); URLs overridable for local replay servers. */
export function providerConfig(env: Env = process.env): ProviderConfig {
  const e = parseEnv(ProviderSchema, env);
  return {
    openMeteo: {
      archive: e.AIRQ_OPEN_METEO_ARCHIVE_URL,
      forecast: e.AIRQ_OPEN_METEO_FORECAST_URL,
      airQuality: e.AIRQ_OPEN_METEO_AIR_QUALITY_URL,
      geocoding: e.AIRQ_OPEN_METEO_GEOCODING_URL,
    },
    aqicn: { token: e.AQICN_API_KEY, baseUrl: e.AIRQ_AQICN_URL, station: e.AIRQ_AQICN_STATION },
    openaq: { key: e.OPENAQ_API_KEY, baseUrl: e.AIRQ_OPENAQ_URL },
  };
}

const LlmSchema = z.object({
  OPENAI_API_KEY: opt(z.string()),
  OPENAI_BASE_URL: opt(httpUrl),
  AIRQ_LLM_MODEL: opt(z.string()).default('gpt-4o-mini'),
  AIRQ_JUDGE_MODEL: opt(z.string()),
  AIRQ_LLM_STRICT: opt(z.enum(['auto', 'on', 'off'])).default('auto'),
});

export interface LlmConfig {
  apiKey: string | undefined;
  baseURL: string | undefined;
  model: string;
  judgeModel: string;
  /** Strict function calling: auto (on, off for the session once the endpoint refuses it), on, or off. */
  strict: 'auto' | 'on' | 'off';
}

/** An OpenAI-compatible model: OPENAI_API_KEY, OPENAI_BASE_URL, AIRQ_LLM_MODEL (AIRQ_JUDGE_MODEL for eval judging, AIRQ_LLM_STRICT for strict tools); undefined when neither key nor URL is set. */
export function llmConfig(env: Env = process.env): LlmConfig | undefined {
  const e = parseEnv(LlmSchema, env);
  if (e.OPENAI_API_KEY === undefined && e.OPENAI_BASE_URL === undefined) return undefined;
  return {
    apiKey: e.OPENAI_API_KEY,
    baseURL: e.OPENAI_BASE_URL,
    model: e.AIRQ_LLM_MODEL,
    judgeModel: e.AIRQ_JUDGE_MODEL ?? e.AIRQ_LLM_MODEL,
    strict: e.AIRQ_LLM_STRICT,
  };
}

const EmbedderSchema = z.object({
  AIRQ_EMBEDDER: opt(z.enum(['auto', 'hashing', 'transformers'])).default('auto'),
  AIRQ_EMBED_MODEL: opt(z.string()),
  AIRQ_EMBED_MODEL_PATH: opt(z.string()),
  AIRQ_OFFLINE: opt(z.enum(['0', '1'])).default('0'),
});

export interface EmbedderConfig {
  kind: 'auto' | 'hashing' | 'transformers';
  /** The transformers model id; undefined means the default model. */
  model: string | undefined;
  modelPath: string | undefined;
  offline: boolean;
}

/** Which text embedder: AIRQ_EMBEDDER, AIRQ_EMBED_MODEL, AIRQ_EMBED_MODEL_PATH, AIRQ_OFFLINE. */
export function embedderConfig(env: Env = process.env): EmbedderConfig {
  const e = parseEnv(EmbedderSchema, env);
  return { kind: e.AIRQ_EMBEDDER, model: e.AIRQ_EMBED_MODEL, modelPath: e.AIRQ_EMBED_MODEL_PATH, offline: e.AIRQ_OFFLINE === '1' };
}

const ServiceSchema = z.object({
  AIRQ_MCP_TOKEN: opt(z.string()),
  AIRQ_BEIJING_URL: opt(httpUrl),
  AIRQ_REQUIRE_DATA: opt(z.enum(['0', '1'])),
});

export interface ServiceConfig {
  /** Bearer token for MCP over HTTP (server and client). */
  mcpToken: string | undefined;
  /** Where `airq download beijing` fetches the UCI archive. */
  beijingUrl: string | undefined;
  /** AIRQ_REQUIRE_DATA=1: an eval without its data fails instead of skipping. */
  requireData: boolean;
}

/** One server's bearer token alone (a malformed variable of another service does not stop this one). */
export function serverToken(name: 'AIRQ_MCP_TOKEN' | 'AIRQ_SERVE_TOKEN', env: Env = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

export function serviceConfig(env: Env = process.env): ServiceConfig {
  const e = parseEnv(ServiceSchema, env);
  return { mcpToken: e.AIRQ_MCP_TOKEN, beijingUrl: e.AIRQ_BEIJING_URL, requireData: e.AIRQ_REQUIRE_DATA === '1' };
}

/** Where the online store lives: in each process's memory (the default) or in a Redis 7 / Valkey server that many processes share. */
export type OnlineStoreConfig =
  { kind: 'memory' } | { kind: 'redis'; url: string; host: string; port: number; db: number; tls: boolean; username?: string; password?: string };

const ONLINE_SHAPE = 'memory, or redis://HOST:PORT/DB (rediss:// for TLS, redis://:PASSWORD@HOST:PORT/DB with a password)';

/** Parses `memory` or a Redis URL; anything else is a ConfigError naming `what` (the variable or option) and the accepted shapes. */
export function parseOnlineStore(text: string, what = 'AIRQ_ONLINE_STORE'): OnlineStoreConfig {
  if (text === 'memory') return { kind: 'memory' };
  const bad = (why: string) => new ConfigError(`${what}: ${why}; use ${ONLINE_SHAPE}`);
  // What messages may quote: the text with any user and password cut out.
  const shown = text.replace(/\/\/[^@/]*@/, '//***@');
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw bad(/^rediss?:\/\//.test(text) ? `"${shown}" is not a valid URL (a host, and a port from 1 to 65535)` : `"${shown}" is neither "memory" nor a URL`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw bad(`"${u.protocol}//" is not a Redis URL`);
  if (u.hostname === '') throw bad('the URL names no host');
  if (u.search !== '' || u.hash !== '') throw bad('the URL has a query or fragment, which airq does not read');
  const path = u.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d{1,3}$/.test(path)) throw bad(`"/${path}" is not a database number`);
  const port = u.port === '' ? 6379 : Number(u.port);
  if (port < 1) throw bad(`port ${port} is not a port (1 to 65535)`);
  const safe = `${u.protocol}//${u.password === '' ? '' : `${u.username}:***@`}${u.host}/${path === '' ? 0 : Number(path)}`;
  return {
    kind: 'redis',
    url: safe,
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port,
    db: path === '' ? 0 : Number(path),
    tls: u.protocol === 'rediss:',
    ...(u.username === '' ? {} : { username: decodeURIComponent(u.username) }),
    ...(u.password === '' ? {} : { password: decodeURIComponent(u.password) }),
  };
}

/** AIRQ_ONLINE_STORE: `memory` (default) or a Redis URL. */
export function onlineStoreConfig(env: Env = process.env): OnlineStoreConfig {
  const v = env.AIRQ_ONLINE_STORE;
  return v === undefined || v === '' ? { kind: 'memory' } : parseOnlineStore(v);
}
