// `airq download beijing`: fetches the public UCI Beijing archive into the data folder airq searches.
import { resolve } from 'node:path';
import { z } from 'zod';
import { downloadDir } from '../../core/data-dir.js';
import { UsageError } from '../../core/errors.js';
import { serviceConfig } from '../../core/config.js';
import { BEIJING_ARCHIVE_URL, downloadBeijing } from '../../airquality/sources/beijing-download.js';
import { noMorePositionals, option, parse } from '../args.js';
import { contextFrom } from '../context.js';

const OPTIONS = { json: { type: 'boolean' }, dir: { type: 'string' }, url: { type: 'string' } } as const;
const Url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export async function downloadCommand(argv: readonly string[]): Promise<void> {
  const [dataset, ...rest] = argv;
  const p = parse(rest, OPTIONS, `download ${dataset ?? ''}`.trim());
  const ctx = contextFrom(p);
  if (dataset === undefined) throw new UsageError('download: say which dataset: beijing (see `airq download --help`)');
  if (dataset !== 'beijing') throw new UsageError(`download: unknown dataset "${dataset}"; available: beijing`);
  noMorePositionals(p, 0, 'download beijing');
  const url = option(Url, p.values.url ?? serviceConfig().beijingUrl ?? BEIJING_ARCHIVE_URL, 'url');
  const dir = typeof p.values.dir === 'string' ? resolve(p.values.dir) : downloadDir('beijing');
  ctx.log.info(`downloading ${url}`);
  const r = await downloadBeijing(dir, url);
  if (p.values.json) ctx.out.json(r);
  else ctx.out.line(`downloaded ${r.files.length} station files (${(r.bytes / 1e6).toFixed(1)} MB archive) to ${r.dir}\nnext: airq import beijing ${r.dir}`);
}
