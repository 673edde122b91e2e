// The online store: latest row per key, in step with every commit, TTL, composite keys, batch lookups.
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.js';
import { ValidationError } from '../../src/core/errors.js';
import { tempStore } from '../helpers/tmp.js';

const schema = [
  { name: 'loc', type: 'string' as const },
  { name: 'date', type: 'date' as const },
  { name: 'pm25', type: 'float' as const },
];

describe('online store', () => {
  it('serves the row with the highest event time per key, kept in step with each commit', async () => {
    const store = await tempStore();
    const fg = await store.getOrCreateFeatureGroup({ name: 'o', primaryKey: 'loc', eventTime: 'date', onlineEnabled: true, schema });
    await fg.insert([
      { loc: 'a', date: '2024-01-02', pm25: 2 },
      { loc: 'a', date: '2024-01-01', pm25: 1 },
    ]);
    expect(await fg.getOnline('a')).toEqual({ loc: 'a', date: '2024-01-02', pm25: 2 });
    // late data (an older event time) does not replace the latest row
    await fg.insert([{ loc: 'a', date: '2023-12-31', pm25: 0 }]);
    expect((await fg.getOnline('a'))!.pm25).toBe(2);
    // a correction of the latest row does
    await fg.insert([{ loc: 'a', date: '2024-01-02', pm25: 2.5 }]);
    expect((await fg.getOnline('a'))!.pm25).toBe(2.5);
    // deleting the latest row falls back to the one before it
    await fg.deleteRecords([{ loc: 'a', date: '2024-01-02' }]);
    expect((await fg.getOnline('a'))!.date).toBe('2024-01-01');
    await fg.deleteRecords([{ loc: 'a' }]);
    expect(await fg.getOnline('a')).toBeUndefined();
  });

  it('does not serve rows older than the TTL, measured against the store clock', async () => {
    const store = await tempStore({ clock: fixedClock('2024-01-10') });
    const fg = await store.getOrCreateFeatureGroup({
      name: 'ttl',
      primaryKey: 'loc',
      eventTime: 'date',
      onlineEnabled: true,
      ttl: '3d',
      schema,
    });
    await fg.insert([
      { loc: 'fresh', date: '2024-01-09', pm25: 1 },
      { loc: 'edge', date: '2024-01-08', pm25: 2 },
      { loc: 'stale', date: '2024-01-05', pm25: 3 },
    ]);
    // now = 2024-01-10T23:59:59.999Z; 3 days back is 2024-01-07T23:59:59.999Z
    expect((await fg.getOnlineBatch(['fresh', 'edge', 'stale'])).map((r) => r?.pm25)).toEqual([1, 2, undefined]);
    // the offline table keeps everything
    expect(await fg.count()).toBe(3);
  });

  it('looks up composite keys by object or by array, and validates key values', async () => {
    const store = await tempStore();
    const fg = await store.getOrCreateFeatureGroup({
      name: 'composite',
      primaryKey: ['city', 'station'],
      onlineEnabled: true,
      schema: [
        { name: 'city', type: 'string' },
        { name: 'station', type: 'int' },
        { name: 'value', type: 'float' },
      ],
    });
    await fg.insert([
      { city: 'x', station: 1, value: 10 },
      { city: 'x', station: 2, value: 20 },
    ]);
    expect((await fg.getOnline({ city: 'x', station: 2 }))!.value).toBe(20);
    expect((await fg.getOnline(['x', 1]))!.value).toBe(10);
    expect(await fg.getOnline(['x', 3])).toBeUndefined();
    await expect(fg.getOnline('x')).rejects.toThrow(/a key has 2 value\(s\) \(city, station\), got 1/);
    await expect(fg.getOnline(['x', 'one'])).rejects.toThrow(ValidationError);
  });

  it('refuses online lookups on a group that is not online-enabled', async () => {
    const store = await tempStore();
    const fg = await store.getOrCreateFeatureGroup({ name: 'offline_only', primaryKey: 'loc', eventTime: 'date', schema });
    await expect(fg.getOnline('a')).rejects.toThrow(/not online-enabled/);
  });
});
