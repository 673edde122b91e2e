// What every daily feature pipeline shares: PM2.5 history for lags, and writing a run atomically.
import { addDays } from '../../core/dates.js';
import { col, type CommitDetails, type FeatureStore, type InputRow } from '../../store/index.js';
import type { AirQualityGroups } from '../feature-groups.js';
import { recordRun, type StoreSource } from '../store-clock.js';

export interface RunRows {
  locations: InputRow[];
  air: InputRow[];
  weather: InputRow[];
  lags: InputRow[];
}

export type RunCommits = Record<string, { commitId: number; inserted: number; updated: number } | null>;

/** PM2.5 of the 7 days before `start`, from the store, so lags at the start of a range are right. */
export async function pm25History(groups: AirQualityGroups, locationId: string, start: string | undefined) {
  if (start === undefined) return [];
  const rows = await groups.airQuality
    .select(['date', 'pm25'])
    .filter(col('location_id').eq(locationId))
    .filter(col('date').between(addDays(start, -7), addDays(start, -1)))
    .read();
  return rows.map((r) => ({ date: r.date as string, value: r.pm25 as number | null }));
}

const summary = (c: CommitDetails | null) => (c ? { commitId: c.commitId, inserted: c.rowsInserted, updated: c.rowsUpdated } : null);

/** Which source a run read, and for replays the day it brought the store to (the store's clock). */
export interface RunRecord {
  source: StoreSource;
  broughtTo?: string;
}

/** Writes the four groups and the store's source and clock in one store transaction: a run that fails half way writes nothing. */
export function writeRun(store: FeatureStore, groups: AirQualityGroups, rows: RunRows, run: RunRecord): Promise<RunCommits> {
  return store.transaction(async () => {
    await recordRun(store, run.source, run.broughtTo);
    return {
      locations: summary(await groups.locations.insert(rows.locations)),
      air_quality: summary(await groups.airQuality.insert(rows.air)),
      weather: summary(await groups.weather.insert(rows.weather)),
      air_quality_lags: summary(await groups.lags.insert(rows.lags)),
    };
  });
}
