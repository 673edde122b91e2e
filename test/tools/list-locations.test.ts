// list_locations through a real MCP client: every place with its id, names, coordinates and source, and the input it refuses.
import { describe, expect, it } from 'vitest';
import tool from '../../tools/list-locations.tool.js';
import { beijingStore } from '../helpers/stores.js';
import { expectRefusedInput, syntheticToolClient, toolClient } from '../helpers/tool-client.js';

const c = syntheticToolClient();

describe('list_locations', () => {
  it('lists the synthetic city with its coordinates, time zone, source and aliases', async () => {
    const { locations } = await c.answer(tool, {});
    expect(locations).toEqual([
      {
        location_id: 'synthetic-city',
        name: 'Synthetic City (synthetic data)',
        city: 'Synthetic City',
        country: 'ZZ',
        latitude: 45,
        longitude: 10,
        timezone: 'UTC',
        source: 'synthetic',
        aliases: ['synthetic', 'demo city'],
      },
    ]);
  });

  it('declares no errors of its own', () => {
    expect(tool.errors).toEqual({});
  });

  it('refuses an argument it does not take, at the input schema', async () => {
    expectRefusedInput(await c.call(tool.name, { location: 'synthetic-city' }), tool.name, 'Unrecognized key: "location"');
  });
});

describe.skipIf(!beijingStore())('list_locations on the Beijing store', () => {
  it('lists the ten stations by id, each in Beijing with its aliases, all from the UCI replay', async () => {
    const b = await toolClient(beijingStore()!, { today: '2017-02-21' });
    try {
      const { locations } = await b.answer(tool, {});
      expect(locations).toHaveLength(10);
      const ids = locations.map((l) => l.location_id);
      expect(ids).toEqual([...ids].sort());
      expect(ids).toContain('beijing-dongsi');
      expect(locations.every((l) => l.city === 'Beijing' && l.country === 'CN' && l.timezone === 'Asia/Shanghai' && l.source === 'uci-beijing')).toBe(true);
      expect(locations.every((l) => Math.abs(l.latitude - 40) < 0.5 && Math.abs(l.longitude - 116.4) < 0.5)).toBe(true);
      expect(locations.find((l) => l.location_id === 'beijing-tiantan')!.aliases).toContain('Temple of Heaven');
    } finally {
      await b.close();
    }
  });
});
