// The XGBoost reference of the forecast benchmark: the book's model (XGBoost with its default settings) on the same rows and
// inputs (the target day's weather and the issue day's PM2.5 lags), one direct model per horizon, run by Debian's xgboost CLI.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { concatRows, type SplitRows } from '../src/airquality/forecast/backtest.js';
import { MAX_DAYS_AHEAD } from '../src/airquality/forecast/groups.js';
import { inputNames } from '../src/airquality/forecast/derived.js';
import { toMatrix } from '../src/airquality/forecast/model.js';
import { rmse, type Matrix } from '../src/ml/index.js';
import { withScratchDir } from './common.js';

/** XGBRegressor's defaults, as the book's air-quality model uses them. */
const XGBOOST_DEFAULTS = ['booster=gbtree', 'objective=reg:squarederror', 'eta=0.3', 'max_depth=6', 'num_round=100', 'seed=0'];

/** The xgboost command-line program (Debian package xgboost), or undefined where it is not installed. */
export function xgboostCli(): string | undefined {
  try {
    execFileSync('xgboost', ['--help'], { stdio: 'ignore' });
    return 'xgboost';
  } catch (e) {
    // `xgboost --help` exits non-zero after printing its usage; only a missing program is "not installed".
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : 'xgboost';
  }
}

/** Rows in LibSVM text: the label, then 1-based index:value for each present input (a missing one, NaN, is left out). */
function libsvm(d: Labelled): string {
  const lines: string[] = [];
  for (let i = 0; i < d.x.rows; i++) {
    const cells = [String(d.y[i])];
    for (let j = 0; j < d.x.cols; j++) {
      const v = d.x.data[i * d.x.cols + j]!;
      if (Number.isFinite(v)) cells.push(`${j + 1}:${v}`);
    }
    lines.push(cells.join(' '));
  }
  return lines.join('\n') + '\n';
}

/** Inputs and labels, as the benchmarks hand them to a model. */
export type Labelled = { x: Matrix; y: Float64Array };

/** The rows of one horizon as a matrix of `names` and their PM2.5. */
function horizonData(rows: SplitRows, h: number, names: readonly string[]): Labelled {
  const idx = rows.features.flatMap((f, i) => (f.days_ahead === h ? [i] : []));
  return {
    x: toMatrix(
      idx.map((i) => rows.features[i]!),
      names,
    ),
    y: Float64Array.from(idx, (i) => rows.labels[i]!.pm25 as number),
  };
}

/**
 * One XGBoost model through the CLI in `dir`: trained on `train` with `settings` (num_round among them), then its RMSE on
 * `test`, and the seconds its training took (the process, reading the file included).
 */
export function xgboostRun(cli: string, dir: string, settings: readonly string[], train: Labelled, test: Labelled) {
  const [trainFile, testFile, model, pred] = [join(dir, 'train.libsvm'), join(dir, 'test.libsvm'), join(dir, 'model.json'), join(dir, 'pred.txt')];
  writeFileSync(trainFile, libsvm(train));
  writeFileSync(testFile, libsvm(test));
  const run = (args: string[]) => execFileSync(cli, ['/dev/null', ...settings, ...args], { stdio: 'ignore' });
  const t0 = performance.now();
  run([`data=${trainFile}?format=libsvm`, `model_out=${model}`]);
  const seconds = (performance.now() - t0) / 1000;
  run(['task=pred', `model_in=${model}`, `test:data=${testFile}?format=libsvm`, `name_pred=${pred}`]);
  const predicted = readFileSync(pred, 'utf8').trim().split('\n').map(Number);
  return { seconds, rmse: rmse(test.y, predicted) };
}

/**
 * Trains the reference on train+validation (it does not stop early) and returns its RMSE on the test rows, per horizon.
 * `names` are its inputs (default: ours, the derived ones included).
 */
export async function xgboostReferenceRmse(
  cli: string,
  train: SplitRows,
  valid: SplitRows,
  test: SplitRows,
  names: readonly string[] = inputNames(train.features[0]!).filter((n) => n !== 'days_ahead'),
): Promise<number[]> {
  return withScratchDir(async (dir) => {
    const out: number[] = [];
    for (let h = 1; h <= MAX_DAYS_AHEAD; h++) {
      const [both, t] = [horizonData(concatRows(train, valid), h, names), horizonData(test, h, names)];
      out.push(xgboostRun(cli, dir, [...XGBOOST_DEFAULTS, 'nthread=2'], both, t).rmse);
    }
    return out;
  });
}
