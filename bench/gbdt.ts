// Benchmark: GBDT training on the first 80% of a table's rows (the Beijing forecasting rows by date, or a CSV in file
// order), RMSE on the rest, one thread, against its floor in the same run: XGBoost's histogram method (Debian's
// xgboost program) with the same settings.
import { backtestSplit, concatRows } from '../src/airquality/forecast/backtest.js';
import { inputNames } from '../src/airquality/forecast/derived.js';
import { toMatrix } from '../src/airquality/forecast/model.js';
import { backfillBeijing } from '../src/airquality/pipelines/beijing-pipeline.js';
import { Gbdt, rmse, type Matrix } from '../src/ml/index.js';
import { FeatureStore } from '../src/store/index.js';
import { round, withScratchDir } from './common.js';
import { csvTable } from './csv-table.js';
import { xgboostCli, xgboostRun, type Labelled } from './xgboost-reference.js';

export const DEFAULT_TREES = 400;

/** The settings: learning rate 0.05, depth 6, up to 63 leaves, no sampling; 20 rows a leaf and L2 1 on both sides. */
const params = (trees: number) => ({ nEstimators: trees, learningRate: 0.05, maxDepth: 6, maxLeaves: 63, minChildWeight: 20, lambda: 1, maxBins: 255 });
const XGBOOST = ['booster=gbtree', 'tree_method=hist', 'objective=reg:squarederror', 'eta=0.05', 'max_depth=6', 'max_leaves=63', 'grow_policy=lossguide'];
const XGBOOST_MORE = ['min_child_weight=20', 'lambda=1', 'max_bin=255', 'nthread=1', 'seed=0'];

/** A table to learn: inputs, labels and input names, rows in the order that splits them. */
export interface Table extends Labelled {
  names: string[];
}

/** Every observed forecasting row of the Beijing store, oldest target date first. */
async function beijingTable(path: string, log: (s: string) => void): Promise<Table> {
  return withScratchDir(async (dir) => {
    const store = await FeatureStore.open({ dir, publish: 'off' });
    try {
      await backfillBeijing(store, path);
      log('imported; reading the forecast view');
      const s = await backtestSplit(store, { testStart: '2016-03-01' });
      const all = concatRows(concatRows(s.train, s.valid), s.test);
      const order = all.helpers.map((h, i) => [h.date as string, i] as const).sort((a, b) => a[0].localeCompare(b[0]));
      const features = order.map(([, i]) => all.features[i]!);
      const names = inputNames(features[0]!);
      return { names, x: toMatrix(features, names), y: Float64Array.from(order, ([, i]) => all.labels[i]!.pm25 as number) };
    } finally {
      await store.close();
    }
  });
}

function rowsOf(t: Labelled, from: number, to: number): Labelled {
  const cols = t.x.cols;
  const x: Matrix = { rows: to - from, cols, data: t.x.data.subarray(from * cols, to * cols) };
  return { x, y: t.y.subarray(from, to) };
}

/** Seconds and test RMSE of XGBoost-hist: the run's time less a one-tree run's (reading the files and starting). */
function xgboost(cli: string, trees: number, train: Labelled, test: Labelled) {
  return withScratchDir(async (dir) => {
    const settings = (rounds: number) => [...XGBOOST, ...XGBOOST_MORE, `num_round=${rounds}`];
    const overhead = xgboostRun(cli, dir, settings(1), train, test).seconds;
    const full = xgboostRun(cli, dir, settings(trees), train, test);
    return { seconds: Math.max(0, full.seconds - overhead), rmse: full.rmse, overhead };
  });
}

export interface GbdtOptions {
  /** The Beijing data folder, when no CSV is given. */
  path?: string;
  csv?: { file: string; label: string };
  trees?: number;
  log?: (s: string) => void;
}

export async function benchGbdt(options: GbdtOptions) {
  const log = options.log ?? (() => undefined);
  const trees = options.trees ?? DEFAULT_TREES;
  const table = options.csv ? csvTable(options.csv.file, options.csv.label) : await beijingTable(options.path!, log);
  const cut = Math.floor(table.x.rows * 0.8);
  const [train, test] = [rowsOf(table, 0, cut), rowsOf(table, cut, table.x.rows)];
  log(`training ${trees} trees on ${train.x.rows} rows x ${train.x.cols} features`);
  const t0 = performance.now();
  const model = Gbdt.fit(train.x, train.y, params(trees), { featureNames: table.names });
  const seconds = (performance.now() - t0) / 1000;
  const out = {
    rows: train.x.rows,
    test_rows: test.x.rows,
    features: train.x.cols,
    trees,
    seconds: round(seconds, 2),
    rmse: round(rmse(test.y, model.predict(test.x)), 2),
  };
  const cli = xgboostCli();
  if (!cli) return { ...out, floor: { skipped: 'xgboost is not installed (Debian package xgboost)' } };
  log('the floor: XGBoost hist, one thread, the same settings');
  const f = await xgboost(cli, trees, train, test);
  return {
    ...out,
    xgboost_hist_seconds: round(f.seconds, 2),
    xgboost_hist_rmse: round(f.rmse, 2),
    xgboost_load_seconds: round(f.overhead, 2),
    ratio_to_xgboost_hist: round(seconds / f.seconds, 2),
  };
}
