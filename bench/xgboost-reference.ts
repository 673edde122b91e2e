// The XGBoost reference of the forecast benchmark: the book's model (XGBoost with its default settings) on the same rows and
// inputs (the target day's weather and the issue day's PM2.5 lags), one direct model per horizon, run by Debian's xgboost CLI.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SplitRows } from '../src/airquality/forecast/backtest.js';
import { MAX_DAYS_AHEAD } from '../src/airquality/forecast/groups.js';
import { inputNames, inputOf } from '../src/airquality/forecast/derived.js';
import { rmse } from '../src/ml/index.js';
import type { Row } from '../src/store/index.js';
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

/** Rows in LibSVM text: the label, then 1-based index:value for each present input (a missing one is left out). */
function libsvm(features: readonly Row[], labels: readonly Row[], names: readonly string[]): string {
  const lines = features.map((row, i) => {
    const cells = names.flatMap((n, j) => {
      const v = inputOf(row, n);
      return typeof v === 'number' && Number.isFinite(v) ? [`${j + 1}:${v}`] : [];
    });
    return [String(labels[i]!.pm25 ?? 0), ...cells].join(' ');
  });
  return lines.join('\n') + '\n';
}

function horizonRows(rows: SplitRows, h: number): Labelled {
  const idx = rows.features.flatMap((f, i) => (f.days_ahead === h ? [i] : []));
  return { features: idx.map((i) => rows.features[i]!), labels: idx.map((i) => rows.labels[i]!) };
}

type Labelled = { features: Row[]; labels: Row[] };

/**
 * One XGBoost model through the CLI in `dir`: trained on `train` with `settings` (num_round among them), then its RMSE on
 * `test`, and the seconds its training took (the process, reading the file included).
 */
export function xgboostRun(cli: string, dir: string, settings: readonly string[], train: Labelled, test: Labelled, names: readonly string[]) {
  const [trainFile, testFile, model, pred] = [join(dir, 'train.libsvm'), join(dir, 'test.libsvm'), join(dir, 'model.json'), join(dir, 'pred.txt')];
  writeFileSync(trainFile, libsvm(train.features, train.labels, names));
  writeFileSync(testFile, libsvm(test.features, test.labels, names));
  const run = (args: string[]) => execFileSync(cli, ['/dev/null', ...settings, ...args], { stdio: 'ignore' });
  const t0 = performance.now();
  run([`data=${trainFile}?format=libsvm`, `model_out=${model}`]);
  const seconds = (performance.now() - t0) / 1000;
  run(['task=pred', `model_in=${model}`, `test:data=${testFile}?format=libsvm`, `name_pred=${pred}`]);
  const predicted = readFileSync(pred, 'utf8').trim().split('\n').map(Number);
  return {
    seconds,
    rmse: rmse(
      Float64Array.from(test.labels, (l) => l.pm25 as number),
      predicted,
    ),
  };
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
      const [a, b, t] = [horizonRows(train, h), horizonRows(valid, h), horizonRows(test, h)];
      const both = { features: [...a.features, ...b.features], labels: [...a.labels, ...b.labels] };
      out.push(xgboostRun(cli, dir, [...XGBOOST_DEFAULTS, 'nthread=2'], both, t, names).rmse);
    }
    return out;
  });
}
