// `airq download beijing` against a local server that serves a UCI-shaped archive built from the real station files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { dataDir } from '../helpers/data.js';
import { lastJson, runCliAsync } from '../helpers/cli.js';
import { replayServer } from '../helpers/replay-server.js';
import { tempDir } from '../helpers/tmp.js';
import { makeZip } from '../helpers/zip.js';

const beijing = dataDir('beijing');
const FOLDER = 'PRSA_Data_20130301-20170228';

/** The first `lines` lines of a real station file, as the CSV that UCI ships. */
function stationCsv(station: string, lines: number): Buffer {
  const text = gunzipSync(readFileSync(join(beijing!, `PRSA_Data_${station}_20130301-20170228.csv.gz`))).toString('utf8');
  return Buffer.from(text.split('\n').slice(0, lines).join('\n') + '\n');
}

describe.skipIf(!beijing)('airq download beijing', () => {
  it('unpacks the nested archive into gzip files that import beijing reads', async () => {
    // UCI's archive is a zip holding a zip holding a folder of CSVs.
    const inner = makeZip([
      { name: `${FOLDER}/`, data: Buffer.alloc(0), deflate: false },
      { name: `${FOLDER}/PRSA_Data_Dongsi_20130301-20170228.csv`, data: stationCsv('Dongsi', 1 + 24 * 10) },
      { name: `${FOLDER}/PRSA_Data_Tiantan_20130301-20170228.csv`, data: stationCsv('Tiantan', 1 + 24 * 10) },
    ]);
    const s = await replayServer();
    s.script('/501.zip', [
      { body: makeZip([{ name: 'PRSA2017_Data_20130301-20170228.zip', data: inner, deflate: false }]), headers: { 'content-type': 'application/zip' } },
    ]);
    const dir = join(tempDir(), 'data', 'beijing');
    const r = await runCliAsync(['download', 'beijing', '--dir', dir, '--url', `${s.url}/501.zip`, '--json']);
    expect(r.stderr).toBe(`[airq] info: downloading ${s.url}/501.zip\n`);
    expect(r.code).toBe(0);
    expect(lastJson(r)).toMatchObject({ dir, files: ['PRSA_Data_Dongsi_20130301-20170228.csv.gz', 'PRSA_Data_Tiantan_20130301-20170228.csv.gz'] });
    expect(gunzipSync(readFileSync(join(dir, 'PRSA_Data_Dongsi_20130301-20170228.csv.gz'))).equals(stationCsv('Dongsi', 1 + 24 * 10))).toBe(true);

    const store = tempDir();
    const imported = await runCliAsync(['import', 'beijing', dir, '--store', store, '--json']);
    expect(imported.code).toBe(0);
    expect(lastJson(imported)).toMatchObject({ stations: ['beijing-dongsi', 'beijing-tiantan'], hourlyRows: 480, days: 20 });
  });

  it('leaves the folder as it was when the answer is not the archive', async () => {
    const s = await replayServer();
    s.script('/501.zip', [{ body: '<html>moved</html>', headers: { 'content-type': 'text/html' } }]);
    const dir = join(tempDir(), 'beijing');
    const r = await runCliAsync(['download', 'beijing', '--dir', dir, '--url', `${s.url}/501.zip`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not a ZIP archive/);
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(join(dir, '..'))).toEqual([]); // no staging folder left behind

    const bad = await runCliAsync(['download', 'beijing', '--dir', dir, '--url', 'ftp://example.org/a.zip']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--url: must be an http\(s\) URL/);
  });
});
