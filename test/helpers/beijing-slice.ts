// Copies some station files of the real Beijing data into a temp folder, so a test can import just those stations.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tmp.js';

export function copyStations(beijingDir: string, stations: string[]): string {
  const dir = tempDir('airq-beijing-');
  for (const s of stations) copyFileSync(join(beijingDir, `PRSA_Data_${s}_20130301-20170228.csv.gz`), join(dir, `PRSA_Data_${s}_20130301-20170228.csv.gz`));
  return dir;
}
