// The model registry: immutable, auto-versioned models with artifacts, metrics and lineage to their training data.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import { parseOrThrow } from '../../core/validate.js';
import type { Database } from '../db/database.js';
import { makeStoreTemp } from '../temp-files.js';
import type { FeatureView } from '../views/feature-view.js';
import { listFiles, modelDir, publishArtifacts, stageArtifacts, unstage } from './artifacts.js';
import { ArtifactIntegrityError, artifactProblem, changed, checksumFiles, checksumOf } from './checksums.js';
import { insertModel, listModels, nextModelVersion } from './catalog.js';
import { modelCard } from './model-card.js';
import { ModelSpecSchema, type ModelMeta } from './schema.js';

export const MODEL_CARD = 'model_card.md';

export interface RegistryContext {
  db: Database;
  storeDir: string;
  featureView(name: string, version: number): FeatureView;
  /** Lineage lines for a model, for its card. */
  lineageOf(name: string, version: number, pending?: ModelMeta): Promise<string[]>;
}

export type CreateModelInput = Omit<import('zod').input<typeof ModelSpecSchema>, 'featureView'> & {
  featureView: FeatureView | { name: string; version: number };
};

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** A registered model version. Immutable: its metadata is frozen and nothing in the API changes it. */
export class Model {
  readonly meta: Readonly<ModelMeta>;

  constructor(
    meta: ModelMeta,
    private readonly ctx: RegistryContext,
  ) {
    this.meta = deepFreeze(meta);
  }

  get name(): string {
    return this.meta.name;
  }
  get version(): number {
    return this.meta.version;
  }
  get metrics(): Readonly<Record<string, number>> {
    return this.meta.metrics;
  }
  /**
   * The registry's copy of the artifacts (read it, do not change it; use download() for a private copy).
   * Read files through readArtifact(), which checks them against the checksums recorded at save.
   */
  get path(): string {
    return modelDir(this.ctx.storeDir, this.name, this.version);
  }

  /** What is wrong with the artifact files (missing, or not the files that were saved), one line each; empty when all are intact. */
  problems(): string[] {
    return this.meta.files.map((f) => artifactProblem(this.path, f, this.meta.checksums)).filter((p): p is string => p !== undefined);
  }

  private integrityError(problem: string): ArtifactIntegrityError {
    return new ArtifactIntegrityError(
      `model ${this.name} v${this.version} cannot be used: its artifact ${problem}, in ${this.path}. ` +
        `Restore the directory from a backup, or register a new version (for the forecaster: \`airq train\`)`,
      { model: this.name, version: this.version, dir: this.path },
    );
  }

  /** Throws an ArtifactIntegrityError naming the first file that is missing or changed since the model was saved. */
  verify(): void {
    const [problem] = this.problems();
    if (problem !== undefined) throw this.integrityError(problem);
  }

  /** The bytes of one artifact file, checked against its recorded SHA-256 (models saved before checksums are read unchecked). */
  readArtifact(file: string): Buffer {
    const want = this.meta.checksums?.[file];
    if (this.meta.checksums && want === undefined) throw this.integrityError(`${file} is not one of the files saved with it`);
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(this.path, file));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw this.integrityError(`${file} is missing`);
      throw e;
    }
    const got = want === undefined ? undefined : checksumOf(bytes);
    if (got !== undefined && got !== want) throw this.integrityError(changed(file, got, want!));
    return bytes;
  }

  /** Copies the verified artifacts into `dir` (default: a new directory in the store's .tmp/, removed by the caller or the next writer after this process ends) and returns it. */
  download(dir?: string): string {
    this.verify();
    const target = dir ?? makeStoreTemp(this.ctx.storeDir, 'model-copy');
    cpSync(this.path, target, { recursive: true });
    return target;
  }

  /**
   * The feature view the model was trained on, set up for batch scoring and (unless `online: false`,
   * for a batch-only model whose view reads offline groups) online serving with its training dataset version.
   */
  async getFeatureView(options: { online?: boolean } = {}): Promise<FeatureView> {
    const fv = this.ctx.featureView(this.meta.featureView.name, this.meta.featureView.version);
    if (options.online ?? true) await fv.initServing(this.meta.trainingDatasetVersion);
    await fv.initBatchScoring(this.meta.trainingDatasetVersion);
    return fv;
  }

  async card(): Promise<string> {
    return modelCard(this.meta, await this.ctx.lineageOf(this.name, this.version));
  }
}

/** A model not yet saved: `save(dir)` registers it as the next version. */
export class ModelDraft {
  private saved: Model | undefined;

  constructor(
    private readonly spec: ReturnType<typeof ModelSpecSchema.parse>,
    private readonly features: string[],
    private readonly ctx: RegistryContext,
    private readonly onSaved: (m: Model) => void,
  ) {}

  /** Copies every file of `dir` into the registry and records the model, atomically; returns the version. */
  async save(dir: string): Promise<Model> {
    if (this.saved) {
      throw new ConflictError(`this model was already saved as ${this.saved.name} v${this.saved.version}; models are immutable, create a new one`);
    }
    const staging = stageArtifacts(this.ctx.storeDir, dir);
    try {
      const model = await this.ctx.db.write(async (tx) => {
        const version = await nextModelVersion(tx, this.spec.name);
        const files = listFiles(staging).filter((f) => f !== MODEL_CARD);
        const meta: ModelMeta = {
          ...this.spec,
          version,
          createdAt: new Date().toISOString(),
          files: [...files, MODEL_CARD].sort(),
          images: files.filter((f) => f.startsWith('images/')),
          features: this.features,
          checksums: null,
        };
        writeFileSync(join(staging, MODEL_CARD), modelCard(meta, await this.ctx.lineageOf(meta.name, version, meta)));
        meta.checksums = checksumFiles(staging, meta.files);
        await insertModel(tx, meta);
        // Published before COMMIT: if the commit fails the directory is an orphan that the next save of this version replaces.
        publishArtifacts(staging, modelDir(this.ctx.storeDir, meta.name, version));
        return new Model(meta, this.ctx);
      });
      this.saved = model;
      this.onSaved(model);
      return model;
    } finally {
      unstage(staging);
    }
  }
}

export class ModelRegistry {
  private models: Model[] = [];

  constructor(private readonly ctx: RegistryContext) {}

  async load(): Promise<void> {
    this.models = (await listModels(this.ctx.db)).map((m) => new Model(m, this.ctx));
  }

  /** Validates the metadata against the feature view and its training dataset version; save() registers it. */
  async createModel(input: CreateModelInput): Promise<ModelDraft> {
    const fvRef = { name: input.featureView.name, version: input.featureView.version };
    const spec = parseOrThrow(ModelSpecSchema, { ...input, featureView: fvRef }, 'model');
    const fv = this.ctx.featureView(fvRef.name, fvRef.version);
    const td = await fv.trainingDataset(spec.trainingDatasetVersion);
    return new ModelDraft(spec, td.featureNames, this.ctx, (m) => this.models.push(m));
  }

  /** All versions of `name` (or every model), oldest first. */
  list(name?: string): Model[] {
    return this.models.filter((m) => name === undefined || m.name === name).sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version);
  }

  getModel(name: string, version?: number): Model {
    const versions = this.list(name);
    if (versions.length === 0) {
      const names = [...new Set(this.models.map((m) => m.name))].sort();
      throw new NotFoundError(`no model named "${name}"${names.length ? `; the registry has: ${names.join(', ')}` : '; the registry is empty'}`);
    }
    const m = version === undefined ? versions.at(-1)! : versions.find((v) => v.version === version);
    if (!m) throw new NotFoundError(`model ${name} has no version ${version}; versions: ${versions.map((v) => v.version).join(', ')}`);
    return m;
  }

  /** Versions of `name` whose tags include every given tag, oldest first. */
  findByTags(name: string, tags: Readonly<Record<string, string>>): Model[] {
    return this.list(name).filter((m) => Object.entries(tags).every(([k, v]) => m.meta.tags[k] === v));
  }

  /**
   * The version with the best value of `metric` ('min' for errors such as rmse, 'max' for scores such
   * as r2), among those `where` keeps (metrics are only comparable between models of the same data).
   */
  getBestModel(name: string, metric: string, direction: 'min' | 'max', where: (m: Model) => boolean = () => true): Model {
    const withMetric = this.list(name).filter((m) => m.metrics[metric] !== undefined);
    if (withMetric.length === 0) {
      this.getModel(name); // throws the not-found message when there is no such model
      throw new ValidationError(`no version of model ${name} recorded the metric "${metric}"`);
    }
    const kept = withMetric.filter(where);
    if (kept.length === 0) throw new NotFoundError(`none of the ${withMetric.length} version(s) of model ${name} fits the request`);
    const sign = direction === 'min' ? 1 : -1;
    return kept.reduce((best, m) => (sign * (m.metrics[metric]! - best.metrics[metric]!) < 0 ? m : best));
  }
}
