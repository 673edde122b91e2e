// `airq fv export` and `airq fg read --where/--order/--out` on the Beijing store: the files hold what the library reads, and bad input changes nothing.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, col, ExportManifestSchema, FeatureStore, type ColumnSplit } from '../../src/store/index.js';
import { airq, lastJson } from '../helpers/cli.js';
import { readFileRows } from '../helpers/read-file.js';
import { beijingStore } from '../helpers/stores.js';
import { tempDir } from '../helpers/tmp.js';

const VERSION = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
const nan = (v: unknown) => (typeof v === 'number' && Number.isNaN(v) ? null : v);

describe.skipIf(!beijingStore())('airq fv export and fg read on the Beijing store', () => {
  const dir = beijingStore()!;
  let store: FeatureStore;
  beforeAll(async () => {
    store = await FeatureStore.open({ dir, readOnly: true });
  });
  afterAll(() => store?.close());

  it('exports the test split of air_quality_fv as the library re-creates it', async () => {
    const out = join(tempDir(), 'air_quality_fv');
    const r = await airq(['fv', 'export', 'air_quality_fv', '--version', '2', '--split', 'test', '--out', out, '--json', '--store', dir]);
    expect(r.code, r.stderr).toBe(0);
    const manifest = ExportManifestSchema.parse(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')));
    expect(lastJson(r)).toEqual({ dir: out, ...manifest });
    expect(readdirSync(out).sort()).toEqual(['manifest.json', 'test.parquet']);
    const fv = store.getFeatureView('air_quality_fv', 2);
    const td = (await fv.trainingDatasets()).at(-1)!;
    const { test } = (await fv.getTrainTestSplit(td.version, { returnType: 'columns', includeTrainingHelperColumns: true })) as { test: ColumnSplit };
    const rows = await readFileRows(join(out, 'test.parquet'), 'parquet');
    expect(rows.length).toBe(td.rowCounts.test);
    expect(manifest.files).toEqual([{ split: 'test', file: 'test.parquet', rows: td.rowCounts.test }]);
    expect(Object.keys(rows[0]!)).toEqual(manifest.columns.map((c) => c.name));
    expect(manifest.columns.filter((c) => c.role === 'label').map((c) => c.name)).toEqual(['pm25']);
    expect(manifest.columns.filter((c) => c.role === 'feature').map((c) => c.name)).toEqual(td.featureNames);
    const column = (split: ColumnSplit, name: string) =>
      Array.from(split.features.columns[name] ?? split.labels.columns[name] ?? split.helpers!.columns[name]!, nan);
    for (const name of ['pm25', 'days_ahead', 'temperature_mean', 'issue_pm25_lag1', 'location_id', 'date']) {
      expect(
        rows.map((row) => row[name]),
        name,
      ).toEqual(column(test, name));
    }
    expect(manifest).toMatchObject({
      featureView: { name: 'air_quality_fv', version: 2 },
      trainingDataset: { version: td.version, snapshotCommit: td.snapshotCommit, split: td.split, extraFilter: td.extraFilter },
      splits: ['test'],
      format: 'parquet',
      airqVersion: VERSION,
    });
    // Each source group once, at the commit the version recorded.
    expect(manifest.sourceCommits).toEqual([...new Map(td.sourceCommits.map((c) => [`${c.featureGroup}@${c.version}`, c])).values()]);
  });

  it('refuses bad input with a clear error, and writes nothing', async () => {
    const parent = tempDir();
    const out = join(parent, 'x');
    const cases: [string[], number, RegExp][] = [
      [['fv', 'export', 'nope', '--out', out], 1, /no feature view named "nope"; the store has: air_quality_fv, pm25_state/],
      [['fv', 'export', 'air_quality_fv', '--version', '9', '--out', out], 1, /feature view air_quality_fv has no version 9; versions: 2/],
      [['fv', 'export', 'air_quality_fv', '--training-dataset', '42', '--out', out], 1, /has no training dataset version 42; versions: 1/],
      [['fv', 'export', 'pm25_state', '--out', out], 1, /pm25_state v1 has no training datasets yet/],
      [['fv', 'export', 'air_quality_fv', '--split', 'holdout', '--out', out], 2, /--split: must be train, validation or test/],
      [['fv', 'export', 'air_quality_fv', '--format', 'xlsx', '--out', out], 2, /--format: must be parquet or csv/],
      [['fv', 'export', 'air_quality_fv'], 2, /--out: say where to write: --out DIR/],
      [['fv', 'export', 'air_quality_fv', '--training-dataset', '0', '--out', out], 2, /--training-dataset: must be a training dataset version number/],
      [['fv', 'show', 'air_quality_fv', '--out', out], 2, /fv show: --out belongs to another subcommand/],
    ];
    for (const [args, code, message] of cases) {
      const r = await airq([...args, '--store', dir]);
      expect([r.code, r.stderr], args.join(' ')).toEqual([code, expect.stringMatching(message)]);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(readdirSync(parent)).toEqual([]);
  });

  it('fg read --where and --order return what the same query through the library returns', async () => {
    const args = ['fg', 'read', 'air_quality', '--where', 'location_id = beijing-aotizhongxin', '--where', 'pm25 > 300', '--order', 'pm25:desc'];
    const r = await airq([...args, '--limit', '1000', '--json', '--store', dir]);
    expect(r.code, r.stderr).toBe(0);
    const aq = store.getFeatureGroup('air_quality');
    const want = await aq
      .filter(and(col('location_id').eq('beijing-aotizhongxin'), col('pm25').gt(300)))
      .orderBy('pm25', 'desc')
      .limit(1000)
      .read();
    expect(want.length).toBeGreaterThan(10);
    expect(lastJson(r).rows).toEqual(want);
    // The same rows as csv on stdout, and as a parquet file (every row: --out has no default limit).
    const csv = await airq([...args, '--format', 'csv', '--limit', '1000', '--store', dir]);
    expect(csv.stdout.trim().split('\n')).toHaveLength(want.length + 1);
    const file = join(tempDir(), 'rows.parquet');
    const written = lastJson(await airq([...args, '--out', file, '--json', '--store', dir]));
    expect(written).toMatchObject({ feature_group: 'air_quality', version: 1, format: 'parquet', rows: want.length });
    expect(await readFileRows(file, 'parquet')).toEqual(want);
  });

  it('fg read --where with a list and nulls, written as json and csv files', async () => {
    const aq = store.getFeatureGroup('air_quality');
    const want = await aq
      .filter(and(col('location_id').isIn(['beijing-dongsi', 'beijing-guanyuan']), col('pm10').isNull()))
      .orderBy('date')
      .orderBy('location_id', 'desc')
      .read();
    expect(want.length).toBeGreaterThan(0);
    const folder = tempDir();
    for (const name of ['rows.json', 'rows.csv']) {
      const r = await airq([
        'fg',
        'read',
        'air_quality',
        '--where',
        "location_id in (beijing-dongsi, 'beijing-guanyuan')",
        '--where',
        'pm10 is null',
        '--order',
        'date,location_id:desc',
        '--out',
        join(folder, name),
        '--store',
        dir,
      ]);
      expect(r.stdout).toMatch(new RegExp(`wrote ${want.length} rows of air_quality v1 to .*${name}`));
    }
    expect(await readFileRows(join(folder, 'rows.json'), 'json')).toEqual(want);
    expect((await readFileRows(join(folder, 'rows.csv'), 'csv')).map((x) => [x.location_id, x.date])).toEqual(want.map((x) => [x.location_id, x.date]));
  });

  it('fg read refuses bad filters, orders and files, and writes nothing', async () => {
    const folder = tempDir();
    const file = join(folder, 'rows.parquet');
    const cases: [string[], RegExp][] = [
      [['--where', 'station = Aotizhongxin'], /--where: "station = Aotizhongxin": no column "station"; the columns are: location_id, date, pm25/],
      [['--where', 'pm25 > lots'], /pm25 is a number column, and "lots" is not a number/],
      [['--where', "pm25 > 1; COPY air_quality TO 'x.csv'"], /is a number column, and "1; COPY/],
      [['--where', 'pm25 ~ 3'], /is not a filter; write COLUMN OP VALUE/],
      [['--order', 'pm25:up'], /--order: "pm25:up" is not an order/],
      [['--order', 'station'], /--order: "station": no column "station"/],
      [['--format', 'xlsx'], /--format: must be one of parquet, csv, json/],
    ];
    for (const [extra, message] of cases) {
      const r = await airq(['fg', 'read', 'air_quality', ...extra, '--out', file, '--store', dir]);
      expect([r.code, r.stderr], extra.join(' ')).toEqual([2, expect.stringMatching(message)]);
    }
    const noExt = await airq(['fg', 'read', 'air_quality', '--out', join(folder, 'rows'), '--store', dir]);
    expect(noExt.stderr).toMatch(/cannot tell the format of .*rows from its extension; give --format parquet\|csv\|json/);
    const parquetOut = await airq(['fg', 'read', 'air_quality', '--format', 'parquet', '--store', dir]);
    expect(parquetOut.stderr).toMatch(/parquet is a binary format; write it to a file with --out FILE.parquet/);
    expect(readdirSync(folder)).toEqual([]);
    expect(existsSync(file)).toBe(false);
    expect(statSync(folder).isDirectory()).toBe(true);
  });
});
