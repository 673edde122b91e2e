// Point-in-time correct joins: no future leaks, equal times used, nested joins against the label time, TTL.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/core/errors.js';
import { col, type FeatureStore } from '../../../src/store/index.js';
import { tempStore } from '../../helpers/tmp.js';

async function setup(store: FeatureStore) {
  const labels = await store.getOrCreateFeatureGroup({
    name: 'labels',
    primaryKey: 'loc',
    eventTime: 'ts',
    schema: [
      { name: 'loc', type: 'string' },
      { name: 'ts', type: 'timestamp' },
      { name: 'y', type: 'float' },
    ],
  });
  const weather = await store.getOrCreateFeatureGroup({
    name: 'weather',
    primaryKey: 'loc',
    eventTime: 'ts',
    schema: [
      { name: 'loc', type: 'string' },
      { name: 'ts', type: 'timestamp' },
      { name: 'temp', type: 'float' },
      { name: 'region', type: 'string' },
    ],
  });
  const regions = await store.getOrCreateFeatureGroup({
    name: 'regions',
    primaryKey: 'region',
    eventTime: 'ts',
    schema: [
      { name: 'region', type: 'string' },
      { name: 'ts', type: 'timestamp' },
      { name: 'alert', type: 'int' },
    ],
  });
  await labels.insert([
    { loc: 'a', ts: '2024-01-02T00:00:00Z', y: 1 },
    { loc: 'a', ts: '2024-01-03T00:00:00Z', y: 2 },
    { loc: 'b', ts: '2024-01-02T00:00:00Z', y: 3 },
    { loc: 'c', ts: '2024-01-02T00:00:00Z', y: 4 },
  ]);
  await weather.insert([
    { loc: 'a', ts: '2024-01-01T00:00:00Z', temp: 9, region: 'north' },
    { loc: 'a', ts: '2024-01-02T00:00:00Z', temp: 10, region: 'north' }, // equal to a label time: used
    { loc: 'a', ts: '2024-01-02T00:00:01Z', temp: 99, region: 'north' }, // 1 s after the label: never for that label
    { loc: 'b', ts: '2024-01-02T00:00:01Z', temp: 30, region: 'south' }, // only future rows for b
  ]);
  await regions.insert([
    { region: 'north', ts: '2024-01-01T12:00:00Z', alert: 1 },
    { region: 'north', ts: '2024-01-02T00:00:01Z', alert: 2 }, // after a's first label
  ]);
  return { labels, weather, regions };
}

describe('point-in-time joins', () => {
  it('takes the latest feature row at or before each label, never a later one, and keeps every label row', async () => {
    const store = await tempStore();
    const { labels, weather } = await setup(store);
    const rows = await labels
      .selectAll()
      .join(weather.select(['temp']))
      .read();
    expect(rows).toEqual([
      { loc: 'a', ts: '2024-01-02T00:00:00.000Z', y: 1, temp: 10 },
      { loc: 'a', ts: '2024-01-03T00:00:00.000Z', y: 2, temp: 99 },
      { loc: 'b', ts: '2024-01-02T00:00:00.000Z', y: 3, temp: null },
      { loc: 'c', ts: '2024-01-02T00:00:00.000Z', y: 4, temp: null },
    ]);
    // A naive join on the key alone would leak the latest value (99) into the first label.
    const latest = await weather.filter(col('loc').eq('a')).orderBy('ts', 'desc').limit(1).read();
    expect(latest[0]!.temp).toBe(99);
    expect(
      await labels
        .selectAll()
        .join(weather.select(['temp']))
        .count(),
    ).toBe(4);
  });

  it('compares nested joins (a joins b joins c) against the label time too', async () => {
    const store = await tempStore();
    const { labels, weather, regions } = await setup(store);
    const q = labels.select(['loc', 'ts']).join(weather.select(['temp', 'region']).join(regions.select(['alert'])));
    expect((await q.read()).map((r) => [r.loc, r.ts, r.temp, r.alert])).toEqual([
      ['a', '2024-01-02T00:00:00.000Z', 10, 1], // regions row at 00:00:01 is after this label
      ['a', '2024-01-03T00:00:00.000Z', 99, 2],
      ['b', '2024-01-02T00:00:00.000Z', null, null],
      ['c', '2024-01-02T00:00:00.000Z', null, null],
    ]);
    expect((await q.columns()).map((c) => `${c.featureGroup}.${c.column}:${c.type}`)).toEqual([
      'labels.loc:string',
      'labels.ts:timestamp',
      'weather.temp:float',
      'weather.region:string',
      'regions.alert:int',
    ]);
  });

  it("bounds a joined feature's age by its group's ttl", async () => {
    const store = await tempStore();
    const { labels } = await setup(store);
    const stale = await store.getOrCreateFeatureGroup({
      name: 'stale',
      primaryKey: 'loc',
      eventTime: 'ts',
      ttl: '1d',
      schema: [
        { name: 'loc', type: 'string' },
        { name: 'ts', type: 'timestamp' },
        { name: 'v', type: 'float' },
      ],
    });
    await stale.insert([{ loc: 'a', ts: '2024-01-01T00:00:00Z', v: 5 }]);
    const rows = await labels
      .select(['loc', 'ts'])
      .join(stale.select(['v']))
      .filter(col('loc').eq('a'))
      .read();
    // exactly 1 day old is still within the TTL; 2 days old is not
    expect(rows.map((r) => r.v)).toEqual([5, null]);
  });

  it('selectExcept keeps every other column', async () => {
    const store = await tempStore();
    const { weather } = await setup(store);
    expect(Object.keys((await weather.selectExcept(['region', 'temp']).read())[0]!)).toEqual(['loc', 'ts']);
  });

  it('needs a prefix when two groups contribute the same column name, and checks join keys', async () => {
    const store = await tempStore();
    const { labels, weather, regions } = await setup(store);
    await expect(
      labels
        .selectAll()
        .join(weather.select(['temp']))
        .join(weather.select(['temp']))
        .read(),
    ).rejects.toThrow(/column "temp" comes from both weather v1 and weather v1; give the join a prefix/);
    const rows = await labels
      .select(['loc'])
      .join(weather.select(['temp']), { prefix: 'w1_' })
      .join(weather.select(['temp']), { prefix: 'w2_' })
      .read();
    expect(Object.keys(rows[0]!)).toEqual(['loc', 'w1_temp', 'w2_temp']);
    await expect(labels.selectAll().join(regions.selectAll()).read()).rejects.toThrow(
      /the left side labels v1 has no column "region"; pass on, or leftOn and rightOn/,
    );
    await expect(
      labels
        .selectAll()
        .join(weather.select(['nope']))
        .read(),
    ).rejects.toThrow(ValidationError);
  });

  it('joins on other columns with leftOn/rightOn, filters the joined result, and time-travels every group', async () => {
    const store = await tempStore();
    const { labels, weather } = await setup(store);
    const before = await store.getFeatureGroup('weather').commits();
    await weather.insert([{ loc: 'c', ts: '2024-01-01T00:00:00Z', temp: 7, region: 'east' }]);
    const q = labels.select(['loc', 'ts', 'y']).join(weather.select(['temp']), { leftOn: ['loc'], rightOn: ['loc'] });
    expect((await q.filter(col('temp').gt(8)).read()).map((r) => r.y)).toEqual([1, 2]);
    expect((await q.read()).find((r) => r.loc === 'c')!.temp).toBe(7);
    // as of the earlier weather commit, the new row for c did not exist yet
    expect((await q.asOf(before[0]!.commitId).read()).find((r) => r.loc === 'c')!.temp).toBeNull();
  });
});
