// `airq fg read NAME`: a group's current rows, filtered (--where) and ordered (--order), printed or written to a file (--out).
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import { parseOrder, parseWhere } from '../../store/query/filter-text.js';
import { FILE_FORMATS, formatOfFile, type FeatureGroup, type FileFormat, type Query } from '../../store/index.js';
import { asUsage, option, type Options, type Parsed } from '../args.js';
import type { CliContext } from '../context.js';
import { io } from '../io.js';
import { table } from '../output.js';

/** What read takes besides --limit (which list and show always took, and ignore). */
export const NEW_READ_OPTIONS = {
  where: { type: 'string', multiple: true },
  order: { type: 'string', multiple: true },
  format: { type: 'string' },
  out: { type: 'string' },
} as const satisfies Options;
export const READ_OPTIONS = { limit: { type: 'string' }, ...NEW_READ_OPTIONS } as const satisfies Options;

const LIMIT_RANGE = 'must be a whole number of rows from 0 to 1000000';
const Limit = z.coerce.number({ error: LIMIT_RANGE }).int(LIMIT_RANGE).min(0, LIMIT_RANGE).max(1_000_000, LIMIT_RANGE);
const Format = z.enum(FILE_FORMATS, { error: `must be one of ${FILE_FORMATS.join(', ')}` }).optional();
const Texts = z.array(z.string().max(10_000, 'is at most 10000 characters')).max(100, 'may be given at most 100 times').default([]);
const Out = z.string().min(1, 'must name a file').optional();

/** The query the options describe: the group's rows, filtered, ordered and limited. */
async function queryOf(p: Parsed, fg: FeatureGroup, out: string | undefined): Promise<Query> {
  const columns = new Map((fg.meta.schema ?? []).map((f) => [f.name, f.type]));
  const where = await asUsage('fg read --where', () => parseWhere(option(Texts, p.values.where, 'where'), columns));
  const order = await asUsage('fg read --order', () => parseOrder(option(Texts, p.values.order, 'order'), columns));
  // Printed rows stop at 20 unless --limit says otherwise; a file gets every row unless --limit says otherwise.
  const limit = p.values.limit === undefined && out !== undefined ? undefined : option(Limit, p.values.limit ?? '20', 'limit');
  let q = fg.selectAll();
  if (where) q = q.filter(where);
  for (const o of order) q = q.orderBy(o.column, o.direction);
  return limit === undefined ? q : q.limit(limit);
}

function outFile(out: string, given: FileFormat | undefined): { file: string; format: FileFormat } {
  const file = resolve(out);
  const format = given ?? formatOfFile(file);
  if (format === undefined) throw new UsageError(`fg read: cannot tell the format of ${out} from its extension; give --format ${FILE_FORMATS.join('|')}`);
  const parent = dirname(file);
  if (!statSync(parent, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`fg read --out: the directory ${parent} does not exist`);
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`fg read --out: ${out} is a directory; give a file name`);
  return { file, format };
}

/** CSV to stdout: DuckDB writes it into a temporary file, which is then printed. */
async function printCsv(q: Query): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'airq-read-'));
  try {
    const file = join(dir, 'rows.csv');
    await q.writeFile(file, 'csv');
    io().stdout(readFileSync(file, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function fgRead(p: Parsed, ctx: CliContext, fg: FeatureGroup, json: boolean): Promise<void> {
  const out = option(Out, p.values.out, 'out');
  const format = option(Format, p.values.format, 'format');
  const q = await queryOf(p, fg, out);
  if (out !== undefined) {
    const target = outFile(out, format);
    const rows = await asUsage('fg read', () => q.writeFile(target.file, target.format));
    if (json) return ctx.out.json({ feature_group: fg.name, version: fg.version, out: target.file, format: target.format, rows });
    return ctx.out.line(`wrote ${rows} rows of ${fg.name} v${fg.version} to ${target.file} (${target.format})`);
  }
  if (format === 'parquet') throw new UsageError('fg read: parquet is a binary format; write it to a file with --out FILE.parquet');
  if (format === 'csv' && json) throw new UsageError('fg read: --json prints JSON and --format csv prints CSV; give one of them');
  if (format === 'csv') return fg.meta.schema === null ? undefined : asUsage('fg read', () => printCsv(q));
  const rows = await asUsage('fg read', () => q.read());
  if (json || format === 'json') ctx.out.json({ feature_group: fg.name, version: fg.version, rows });
  else ctx.out.line(table(rows));
}
