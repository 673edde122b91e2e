// Location lookup for the tools: ids, names and aliases, helpful misses, and a cache that follows commits.
import { describe, expect, it } from 'vitest';
import { airQualityGroups } from '../../../src/airquality/feature-groups.js';
import { listLocations, resolveLocation } from '../../../src/airquality/services/locations.js';
import { tempStore } from '../../helpers/tmp.js';

const place = (id: string, name: string, aliases = '') => ({
  location_id: id,
  name,
  city: 'Beijing',
  country: 'CN',
  latitude: 39.9,
  longitude: 116.4,
  timezone: 'Asia/Shanghai',
  source: 'uci-beijing',
  aliases,
});

describe('locations service', () => {
  it('finds a location by id, name or alias, names the closest on a miss, and sees new locations at once', async () => {
    const store = await tempStore();
    const { locations } = await airQualityGroups(store);
    await locations.insert([place('beijing-dongsi', 'Dongsi', 'Dong Si'), place('beijing-tiantan', 'Tiantan', 'Temple of Heaven')]);
    expect((await resolveLocation(store, 'DONGSI')).location_id).toBe('beijing-dongsi');
    expect((await resolveLocation(store, 'temple of heaven')).location_id).toBe('beijing-tiantan');
    expect((await resolveLocation(store, 'beijing-tiantan')).name).toBe('Tiantan');
    expect((await resolveLocation(store, 'Dongs')).location_id).toBe('beijing-dongsi'); // a unique partial match
    await expect(resolveLocation(store, 'Dongxi')).rejects.toThrow(/no location matches "Dongxi"; closest: beijing-dongsi \(Dongsi\)/);
    await expect(resolveLocation(store, 'beijing')).rejects.toThrow(/"beijing" matches several locations/);
    expect(await listLocations(store)).toHaveLength(2);
    await locations.insert([place('beijing-shunyi', 'Shunyi')]);
    expect((await listLocations(store)).map((l) => l.location_id)).toEqual(['beijing-dongsi', 'beijing-shunyi', 'beijing-tiantan']);
  });
});
