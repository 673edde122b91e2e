// Benchmark: GBDT training on the Beijing forecasting rows (first 80% by date to train, the rest to test), 400 trees, one
// thread, against its floor in the same run: XGBoost's histogram method (Debian's xgboost program) with the same settings.
import { backtestSplit, concatRows } from '../src/airquality/forecast/backtest.js';
import { inputNames } from '../src/airquality/forecast/derived.js';
import { toMatrix } from '../src/airquality/forecast/model.js';
import { backfillBeijing } from '../src/airquality/pipelines/beijing-pipeline.js';
import { Gbdt, rmse } from '../src/ml/index.js';
import { FeatureStore, type Row } from '../src/store/index.js';
import { round, withScratchDir } from './common.js';
import { xgboostCli, xgboostRun } from './xgboost-reference.js';

const TREES = 400;
/** The settings: learning rate 0.05, depth 6, up to 63 leaves, no sampling; 20 rows a leaf and L2 1 on both sides. */
const PARAMS = { nEstimators: TREES, learningRate: 0.05, maxDepth: 6, maxLeaves: 63, minChildWeight: 20, lambda: 1, maxBins: 255 };
const XGBOOST = ['booster=gbtree', 'tree_method=hist', 'objective=reg:squarederror', 'eta=0.05', 'max_depth=6', 'max_leaves=63', 'grow_policy=lossguide'];
const XGBOOST_MORE = ['min_child_weight=20', 'lambda=1', 'max_bin=255', 'nthread=1', 'seed=0'];

/** Every observed forecasting row of the Beijing store, oldest target date first. */
async function beijingRows(path: string, log: (s: string) => void): Promise<{ features: Row[]; labels: Row[] }> {
  return withScratchDir(async (dir) => {
    const store = await FeatureStore.open({ dir });
    try {
      await backfillBeijing(store, path);
      log('imported; reading the forecast view');
      const s = await backtestSplit(store, { testStart: '2016-03-01' });
      const all = concatRows(concatRows(s.train, s.valid), s.test);
      const order = all.helpers.map((h, i) => [h.date as string, i] as const).sort((a, b) => a[0].localeCompare(b[0]));
      return { features: order.map(([, i]) => all.features[i]!), labels: order.map(([, i]) => all.labels[i]!) };
    } finally {
      await store.close();
    }
  });
}

/** Seconds and test RMSE of XGBoost-hist: the run's time less a one-tree run's (reading the files and starting). */
function xgboost(cli: string, train: { features: Row[]; labels: Row[] }, test: { features: Row[]; labels: Row[] }, names: string[]) {
  return withScratchDir(async (dir) => {
    const settings = (rounds: number) => [...XGBOOST, ...XGBOOST_MORE, `num_round=${rounds}`];
    const overhead = xgboostRun(cli, dir, settings(1), train, test, names).seconds;
    const full = xgboostRun(cli, dir, settings(TREES), train, test, names);
    return { seconds: Math.max(0, full.seconds - overhead), rmse: full.rmse, overhead };
  });
}

export async function benchGbdt(path: string, log: (s: string) => void = () => undefined) {
  const rows = await beijingRows(path, log);
  const cut = Math.floor(rows.features.length * 0.8);
  const train = { features: rows.features.slice(0, cut), labels: rows.labels.slice(0, cut) };
  const test = { features: rows.features.slice(cut), labels: rows.labels.slice(cut) };
  const names = inputNames(train.features[0]!);
  const [x, tx] = [toMatrix(train.features, names), toMatrix(test.features, names)];
  const y = Float64Array.from(train.labels, (l) => l.pm25 as number);
  const ty = Float64Array.from(test.labels, (l) => l.pm25 as number);
  log(`training ${TREES} trees on ${x.rows} rows x ${x.cols} features`);
  const t0 = performance.now();
  const model = Gbdt.fit(x, y, PARAMS, { featureNames: names });
  const seconds = (performance.now() - t0) / 1000;
  const out = { rows: x.rows, test_rows: tx.rows, features: x.cols, trees: TREES, seconds: round(seconds, 2), rmse: round(rmse(ty, model.predict(tx)), 2) };
  const cli = xgboostCli();
  if (!cli) return { ...out, floor: { skipped: 'xgboost is not installed (Debian package xgboost)' } };
  log('the floor: XGBoost hist, one thread, the same settings');
  const f = await xgboost(cli, train, test, names);
  return {
    ...out,
    xgboost_hist_seconds: round(f.seconds, 2),
    xgboost_hist_rmse: round(f.rmse, 2),
    xgboost_load_seconds: round(f.overhead, 2),
    ratio_to_xgboost_hist: round(seconds / f.seconds, 2),
  };
}
