// Sentence embeddings with transformers.js: feature extraction, mean pooling, L2 normalisation, batched.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, errorMessage, UnavailableError } from '../core/errors.js';
import type { Embedder } from './embedder.js';

export const DEFAULT_MODEL = 'Xenova/all-MiniLM-L6-v2';

export interface TransformersOptions {
  /** Hub id, e.g. Xenova/all-MiniLM-L6-v2 (384-d). */
  model?: string;
  revision?: string;
  /** Where downloaded model files are cached (airq uses the store directory). */
  cacheDir?: string;
  /** A folder holding `<model>/` with onnx/model.onnx, tokenizer.json and config.json (AIRQ_EMBED_MODEL_PATH). */
  localModelPath?: string;
  /** Never try the network. */
  offline?: boolean;
  batchSize?: number;
}

type Extractor = (texts: string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<{ dims: number[]; data: Float32Array }>;

/** True when the model's files are on disk under `root` (so loading needs no network). */
export function modelIsLocal(root: string | undefined, model: string): boolean {
  return root !== undefined && existsSync(join(root, model, 'onnx', 'model.onnx')) && existsSync(join(root, model, 'tokenizer.json'));
}

/** How to add the optional package; said wherever it is missing. */
export const INSTALL_TRANSFORMERS =
  'install the optional package next to airq (`npm install -g @huggingface/transformers@4.3.1` for a global airq, with the same --prefix if it has one; ' +
  '`npm install @huggingface/transformers@4.3.1` in a project), or use AIRQ_EMBEDDER=hashing';

/** Whether @huggingface/transformers can be loaded (a default install leaves it out: it brings ~430 MB of ONNX runtimes). */
export async function transformersInstalled(): Promise<boolean> {
  return importTransformers().then(
    () => true,
    () => false,
  );
}

// Imported on first use: onnxruntime is heavy, optional, and most commands never embed text.
async function importTransformers(): Promise<typeof import('@huggingface/transformers')> {
  try {
    return await import('@huggingface/transformers');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
      throw new ConfigError(`sentence embeddings need @huggingface/transformers, which is not installed: ${INSTALL_TRANSFORMERS}`);
    }
    throw e;
  }
}

export class TransformersEmbedder implements Embedder {
  /** Texts per second of the last embed() call. */
  lastThroughput = 0;

  private constructor(
    readonly id: string,
    readonly dim: number,
    private readonly extract: Extractor,
    private readonly batchSize: number,
  ) {}

  static async load(options: TransformersOptions = {}): Promise<TransformersEmbedder> {
    const model = options.model ?? DEFAULT_MODEL;
    const revision = options.revision ?? 'main';
    const { env, pipeline } = await importTransformers();
    env.allowLocalModels = true;
    env.allowRemoteModels = !options.offline;
    if (options.localModelPath) env.localModelPath = options.localModelPath;
    if (options.cacheDir) env.cacheDir = options.cacheDir;
    let extract: Extractor;
    try {
      extract = (await pipeline('feature-extraction', model, { revision, dtype: 'fp32' })) as unknown as Extractor;
    } catch (e) {
      throw new UnavailableError(
        `cannot load the embedding model ${model} (${errorMessage(e).split('\n')[0]}). ` +
          `${options.offline ? 'Offline: ' : ''}put its files (onnx/model.onnx, tokenizer.json, config.json) in DIR/${model}/ and set AIRQ_EMBED_MODEL_PATH=DIR, ` +
          'run once with network so it is cached in the store, or set AIRQ_EMBEDDER=hashing',
      );
    }
    const probe = await extract(['probe'], { pooling: 'mean', normalize: true });
    return new TransformersEmbedder(`${model}@${revision}`, probe.dims.at(-1)!, extract, options.batchSize ?? 32);
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const t0 = performance.now();
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      const batch = texts.slice(i, i + this.batchSize);
      const r = await this.extract([...batch], { pooling: 'mean', normalize: true });
      for (let j = 0; j < batch.length; j++) out.push(r.data.slice(j * this.dim, (j + 1) * this.dim));
    }
    const seconds = (performance.now() - t0) / 1000;
    this.lastThroughput = seconds > 0 ? texts.length / seconds : 0;
    return out;
  }
}
