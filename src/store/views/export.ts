// A saved training dataset version as files (the book's create_training_data): one file per split through DuckDB's writers, then manifest.json.
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import { writeColumnsFile, FILE_TYPE, type FileColumn } from '../db/columns-file.js';
import { removeTempFiles, writeAtomically } from '../db/copy.js';
import type { FeatureType } from '../types.js';
import { exportIdentity, MANIFEST_FILE, readExistingManifest, SPLIT_NAMES, type ExportIdentity, type ExportManifest } from './export-manifest.js';
import type { FeatureView } from './feature-view.js';
import type { Frame } from './frame.js';
import type { TrainingDatasetInfo } from './schema.js';
import type { ColumnSplit, SplitName } from './training-data.js';

export interface ExportOptions {
  /** The directory to write; made when missing. */
  dir: string;
  format: 'parquet' | 'csv';
  /** The training dataset version (default: the view's latest). */
  trainingDataset?: number;
  /** One split (default: every split the version has). */
  split?: SplitName;
  /** Replace an export of something else (or files no manifest accounts for) in `dir`. */
  force?: boolean;
  airqVersion: string;
  now?: () => Date;
}

async function chooseDataset(fv: FeatureView, version: number | undefined): Promise<TrainingDatasetInfo> {
  if (version !== undefined) return fv.trainingDataset(version);
  const all = await fv.trainingDatasets();
  const latest = all[all.length - 1];
  if (!latest) throw new NotFoundError(`feature view ${fv.name} v${fv.version} has no training datasets yet; training on it (or a split in code) saves one`);
  return latest;
}

function chooseSplits(td: TrainingDatasetInfo, fv: FeatureView, split: SplitName | undefined): SplitName[] {
  const has = SPLIT_NAMES.filter((s) => s in td.rowCounts);
  if (split === undefined || has.includes(split)) return split === undefined ? has : [split];
  const what = `training dataset ${td.version} of ${fv.name} v${fv.version}`;
  if (td.split.kind === 'none') throw new NotFoundError(`${what} was not split: its only split is train`);
  throw new NotFoundError(`${what} has no ${split} split; it has: ${has.join(', ')}`);
}

/** Refuses a directory that holds something else (unless `force`); returns the files an earlier export there listed. */
function checkTarget(dir: string, manifest: ExportIdentity, files: string[], force: boolean): string[] {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) throw new ValidationError(`${dir} is a file, not a directory; give --out a directory`);
  const existing = readExistingManifest(dir);
  const replace = (what: string) => new ConflictError(`${dir} ${what}; give --force to replace it, or another --out`);
  if (existing.kind === 'other' && !force) throw replace(`has a ${MANIFEST_FILE} that is not an airq export manifest`);
  if (existing.kind === 'export' && !force && exportIdentity(existing.manifest) !== exportIdentity(manifest)) {
    throw replace(`holds an export of ${exportIdentity(existing.manifest)}`);
  }
  const listed = existing.kind === 'export' ? existing.manifest.files.map((f) => f.file) : [];
  const stray = files.find((f) => !listed.includes(f) && existsSync(join(dir, f)));
  if (stray !== undefined && !force) throw replace(`already has ${stray}, which no export manifest there accounts for`);
  return listed;
}

interface Layout {
  columns: ExportManifest['columns'];
  pick(split: ColumnSplit): Frame['columns'];
}

/** The files' columns: features after transformations (typed as the view's outputs, or float), then labels, then helpers. */
async function layoutOf(fv: FeatureView, td: TrainingDatasetInfo): Promise<Layout> {
  const types = new Map((await fv.query().columns()).map((c) => [c.name, c.type]));
  const transformed = new Set(Object.keys(fv.definition.transformations));
  const columns: ExportManifest['columns'] = [];
  const seen = new Set<string>();
  const add = (names: readonly string[], role: 'feature' | 'label' | 'helper') => {
    for (const name of names.filter((n) => !seen.has(n))) {
      seen.add(name);
      // A transformation's outputs are numbers (a one-hot column is not an output of the query at all).
      const type: FeatureType = (role === 'feature' && transformed.has(name)) || !types.has(name) ? 'float' : types.get(name)!;
      columns.push({ name, type, fileType: FILE_TYPE[type].sql, role });
    }
  };
  add(td.featureNames, 'feature');
  add(fv.definition.labels, 'label');
  add(fv.definition.trainingHelperColumns, 'helper');
  const pick = (s: ColumnSplit) => ({ ...s.helpers?.columns, ...s.labels.columns, ...s.features.columns });
  return { columns, pick };
}

/** A split's columns in file order; its row count must be the one the version recorded. */
function columnsOf(layout: Layout, split: ColumnSplit, td: TrainingDatasetInfo, name: SplitName): { columns: FileColumn[]; rowCount: number } {
  const rowCount = split.features.rowCount;
  if (rowCount !== td.rowCounts[name]) {
    throw new ConflictError(`the ${name} split of training dataset ${td.version} re-created ${rowCount} rows, but ${td.rowCounts[name]} were recorded`);
  }
  const values = layout.pick(split);
  const columns = layout.columns.map((c) => ({ name: c.name, type: c.type, values: values[c.name] ?? new Array<null>(rowCount).fill(null) }));
  return { columns, rowCount };
}

/** Writes the version's splits into `dir` (each under a temporary name renamed when complete), then manifest.json last. */
export async function exportTrainingDataset(fv: FeatureView, options: ExportOptions): Promise<ExportManifest> {
  const td = await chooseDataset(fv, options.trainingDataset);
  const splits = chooseSplits(td, fv, options.split);
  const ext = options.format;
  const files = splits.map((split) => ({ split, file: `${split}.${ext}` }));
  const identity = { featureView: { name: fv.name, version: fv.version }, trainingDataset: td, format: options.format, splits };
  const previous = checkTarget(
    options.dir,
    identity,
    files.map((f) => f.file),
    options.force ?? false,
  );
  const layout = await layoutOf(fv, td);
  const data = await fv.getSplits<'columns'>(td.version, {
    returnType: 'columns',
    includeTrainingHelperColumns: true,
    split: splits.length === 1 ? splits[0] : undefined,
  });
  const contents = files.map(({ split, file }) => ({ split, file, ...columnsOf(layout, data[split]!, td, split) }));
  mkdirSync(options.dir, { recursive: true });
  // No manifest while files change: a crash from here on leaves a directory that does not look complete.
  rmSync(join(options.dir, MANIFEST_FILE), { force: true });
  removeTempFiles(options.dir);
  const written: ExportManifest['files'] = [];
  for (const { split, file, columns, rowCount } of contents) {
    const rows = await writeAtomically(join(options.dir, file), (temp) => writeColumnsFile(columns, rowCount, temp, options.format));
    written.push({ split, file, rows });
  }
  for (const old of previous) if (!files.some((f) => f.file === old)) rmSync(join(options.dir, old), { force: true });
  const manifest = manifestOf(fv, td, options, splits, written, layout.columns);
  await writeAtomically(join(options.dir, MANIFEST_FILE), async (temp) => writeFileSync(temp, `${JSON.stringify(manifest, null, 2)}\n`));
  return manifest;
}

function manifestOf(
  fv: FeatureView,
  td: TrainingDatasetInfo,
  options: ExportOptions,
  splits: SplitName[],
  files: ExportManifest['files'],
  columns: ExportManifest['columns'],
): ExportManifest {
  return {
    manifestVersion: 1,
    featureView: { name: fv.name, version: fv.version },
    trainingDataset: {
      version: td.version,
      createdAt: td.createdAt,
      snapshotCommit: td.snapshotCommit,
      split: td.split,
      ...(td.startTime !== undefined ? { startTime: td.startTime } : {}),
      ...(td.endTime !== undefined ? { endTime: td.endTime } : {}),
      ...(td.extraFilter !== undefined ? { extraFilter: td.extraFilter } : {}),
      transformations: { ...fv.definition.transformations },
      transformationState: td.transformationState,
    },
    // A group joined more than once (weather for three days) is one source.
    sourceCommits: td.sourceCommits.filter((c, i, all) => all.findIndex((d) => d.featureGroup === c.featureGroup && d.version === c.version) === i),
    format: options.format,
    splits,
    files,
    columns,
    labels: [...fv.definition.labels],
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    airqVersion: options.airqVersion,
  };
}
