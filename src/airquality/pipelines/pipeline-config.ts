// Which source a store's feature pipeline reads, remembered in the store directory (pipeline.json).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';

const PipelineConfigSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('beijing'), path: z.string().min(1) }).strict(),
  z.object({ source: z.literal('synthetic'), seed: z.number().int() }).strict(),
  z.object({ source: z.literal('live'), location: z.literal('stockholm-hornsgatan') }).strict(),
]);
export type PipelineConfig = z.infer<typeof PipelineConfigSchema>;

const FILE = 'pipeline.json';

export function readPipelineConfig(storeDir: string): PipelineConfig | undefined {
  const file = join(storeDir, FILE);
  if (!existsSync(file)) return undefined;
  const parsed = PipelineConfigSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new ConfigError(`${file} is damaged; delete it and run \`airq demo\` or \`airq pipeline backfill --source ...\``);
  return parsed.data;
}

export function writePipelineConfig(storeDir: string, config: PipelineConfig): void {
  const stored = config.source === 'beijing' ? { ...config, path: resolve(config.path) } : config;
  writeFileSync(join(storeDir, FILE), `${JSON.stringify(stored, null, 2)}\n`);
}
