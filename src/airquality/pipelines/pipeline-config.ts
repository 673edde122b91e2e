// Which source a store's feature pipeline reads, remembered in the store directory (pipeline.json).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';

const PipelineConfigSchema = z.object({ source: z.literal('beijing'), path: z.string().min(1) }).strict();
export type PipelineConfig = z.infer<typeof PipelineConfigSchema>;

const FILE = 'pipeline.json';

export function readPipelineConfig(storeDir: string): PipelineConfig | undefined {
  const file = join(storeDir, FILE);
  if (!existsSync(file)) return undefined;
  const parsed = PipelineConfigSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new ConfigError(`${file} is damaged; delete it and run \`airq pipeline backfill --source beijing --path DIR\``);
  return parsed.data;
}

export function writePipelineConfig(storeDir: string, config: PipelineConfig): void {
  writeFileSync(join(storeDir, FILE), `${JSON.stringify({ ...config, path: resolve(config.path) }, null, 2)}\n`);
}
