// `airq fv export NAME`: a saved training dataset version as parquet or csv files with a manifest, for training elsewhere.
import { resolve } from 'node:path';
import { z } from 'zod';
import { exportTrainingDataset, type FeatureStore } from '../../store/index.js';
import { asUsage, noMorePositionals, option, positional, type Options, type Parsed } from '../args.js';
import type { CliContext } from '../context.js';
import { table } from '../output.js';

export const EXPORT_OPTIONS = {
  out: { type: 'string' },
  split: { type: 'string' },
  format: { type: 'string' },
  'training-dataset': { type: 'string' },
  force: { type: 'boolean' },
} as const satisfies Options;

const TD_RANGE = 'must be a training dataset version number from 1 to 100000';
const Args = {
  out: z.string({ error: 'say where to write: --out DIR (a directory; made when missing)' }).min(1, 'must name a directory'),
  split: z.enum(['train', 'validation', 'test'], { error: 'must be train, validation or test (default: every split of the version)' }).optional(),
  format: z.enum(['parquet', 'csv'], { error: 'must be parquet or csv' }).default('parquet'),
  trainingDataset: z.coerce.number({ error: TD_RANGE }).int(TD_RANGE).min(1, TD_RANGE).max(100_000, TD_RANGE).optional(),
};

export async function fvExport(p: Parsed, ctx: CliContext, store: FeatureStore, view: { version?: number; json: boolean; airqVersion: string }) {
  noMorePositionals(p, 1, 'fv export');
  const name = positional(p, 0, 'the feature view NAME', 'fv export');
  const out = option(Args.out, p.values.out, 'out');
  const split = option(Args.split, p.values.split, 'split');
  const format = option(Args.format, p.values.format, 'format');
  const trainingDataset = option(Args.trainingDataset, p.values['training-dataset'], 'training-dataset');
  const fv = store.getFeatureView(name, view.version);
  const dir = resolve(out);
  const manifest = await asUsage('fv export', () =>
    exportTrainingDataset(fv, { dir, format, split, trainingDataset, force: p.values.force === true, airqVersion: view.airqVersion }),
  );
  if (view.json) return ctx.out.json({ dir, ...manifest });
  ctx.out.line(`${fv.name} v${fv.version}, training dataset ${manifest.trainingDataset.version} -> ${dir}`);
  ctx.out.line(table(manifest.files.map((f) => ({ split: f.split, file: f.file, rows: f.rows }))));
  ctx.out.line(`${manifest.columns.length} columns (labels: ${manifest.labels.join(', ') || 'none'}); manifest.json says what each file holds`);
}
