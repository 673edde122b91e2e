// The places of the Beijing store as list_locations reports them (ids, names, aliases), for planner tests without a store.
import type { AgentContext, KnownLocation } from '../../src/agent/types.js';

const station = (name: string, aliases: string[] = []): KnownLocation => ({ id: `beijing-${name.toLowerCase()}`, name, aliases, city: 'Beijing' });

export const BEIJING_PLACES: KnownLocation[] = [
  station('Aotizhongxin', ['Olympic Sports Center', 'Aoti']),
  station('Changping'),
  station('Dingling', ['Ming Tombs']),
  station('Dongsi'),
  station('Guanyuan'),
  station('Gucheng'),
  station('Nongzhanguan', ['Agricultural Exhibition Center']),
  station('Shunyi'),
  station('Tiantan', ['Temple of Heaven']),
  station('Wanshouxigong', ['Wanshou Temple West']),
];

/** Tuesday 21 February 2017, the end of the Beijing data. */
export const BEIJING_CONTEXT: AgentContext = { today: '2017-02-21', weekday: 'Tuesday', locations: BEIJING_PLACES };
