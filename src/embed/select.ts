// Which text embedder to use: AIRQ_EMBEDDER=hashing|transformers|auto (auto: transformers only when AIRQ_EMBED_MODEL_PATH holds its model).
import { join } from 'node:path';
import { embedderConfig } from '../core/config.js';
import type { Embedder } from './embedder.js';
import { HashingEmbedder } from './hashing.js';
import { DEFAULT_MODEL, INSTALL_TRANSFORMERS, modelIsLocal, TransformersEmbedder, transformersInstalled } from './transformers.js';

export interface SelectedEmbedder {
  embedder: Embedder;
  /** Said wherever it is used (airq embed prints it). */
  description: string;
}

/**
 * auto (the default) never touches the network: it uses the transformers model when its files are
 * in AIRQ_EMBED_MODEL_PATH, and the hashing embedder otherwise. transformers downloads the model
 * from the Hugging Face hub into the store (embedding-models/) on first use, unless AIRQ_OFFLINE=1,
 * and fails with a message that says how to get the model.
 */
export async function selectEmbedder(storeDir: string, env: NodeJS.ProcessEnv = process.env): Promise<SelectedEmbedder> {
  const c = embedderConfig(env);
  const model = c.model ?? DEFAULT_MODEL;
  const cacheDir = join(storeDir, 'embedding-models');
  const local = modelIsLocal(c.modelPath, model);
  // auto takes the model only when both its files and the optional package are there.
  const missing = c.kind === 'auto' && local && !(await transformersInstalled());
  if (c.kind === 'hashing' || (c.kind === 'auto' && !local) || missing) {
    const embedder = new HashingEmbedder();
    const why = missing ? `; the model files are there but @huggingface/transformers is not: ${INSTALL_TRANSFORMERS.replace(/, or use .*$/, '')}` : '';
    return { embedder, description: `${embedder.id} (lexical hashing embedder: shared words and word forms, not meaning; no model files${why})` };
  }
  const embedder = await TransformersEmbedder.load({ model, cacheDir, localModelPath: c.modelPath, offline: c.offline || c.kind === 'auto' });
  return { embedder, description: `${embedder.id} (transformers.js sentence embeddings, ${embedder.dim}-d)` };
}
