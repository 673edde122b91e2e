// Configuration from the environment, parsed with zod so a bad value fails early with a clear message.
import { z } from 'zod';
import { isIsoDate } from './dates.js';
import { ConfigError } from './errors.js';

const EnvSchema = z.object({
  AIRQ_STORE: z.string().min(1).default('./.airq'),
  AIRQ_TODAY: z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD, e.g. 2017-02-28').optional(),
  AIRQ_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  AIRQ_DATA_DIR: z.string().min(1).optional(),
});

export type Config = {
  storeDir: string;
  today: string | undefined;
  logLevel: z.infer<typeof EnvSchema>['AIRQ_LOG_LEVEL'];
  dataDir: string | undefined;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join('.') ?? 'environment';
    throw new ConfigError(`environment variable ${name}: ${issue?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  return {
    storeDir: e.AIRQ_STORE,
    today: e.AIRQ_TODAY,
    logLevel: e.AIRQ_LOG_LEVEL,
    dataDir: e.AIRQ_DATA_DIR,
  };
}
