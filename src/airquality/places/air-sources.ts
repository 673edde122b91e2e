// Where a day's PM2.5 came from, and whether it is a measurement: one row per source, the label every answer shows.

import { sensorOf } from './place-input.js';

export type AirKind = 'measurement' | 'model' | 'replayed' | 'synthetic';

export interface AirSource {
  kind: AirKind;
  /** How answers name it. */
  label: string;
}

/** Values of air_quality.pm25_source. */
export const AIR_SOURCES = {
  cams: { kind: 'model', label: 'CAMS model values (Open-Meteo air quality), not measurements' },
  aqicn: { kind: 'measurement', label: 'sensor measurement (aqicn.org)' },
  openaq: { kind: 'measurement', label: 'sensor measurement (OpenAQ)' },
  'uci-beijing': { kind: 'replayed', label: 'measurement from the UCI Beijing archive (2013-2017), replayed' },
  synthetic: { kind: 'synthetic', label: 'synthetic data (the generated demo city)' },
} as const satisfies Record<string, AirSource>;

export type AirSourceId = keyof typeof AIR_SOURCES;

/** The source of a row: its pm25_source, else (rows written before the column) what its place's source implies. */
export function airSourceOf(rowSource: string | null | undefined, placeSource: string): AirSource & { id: string } {
  const id = rowSource ?? defaultAirSource(placeSource);
  const known = (AIR_SOURCES as Record<string, AirSource>)[id];
  return { id, ...(known ?? { kind: 'measurement', label: id }) };
}

/** What a place's air data is when nothing else is said: the sensor's network, CAMS for places without a sensor. */
export function defaultAirSource(placeSource: string): AirSourceId {
  if (placeSource === 'uci-beijing' || placeSource === 'synthetic' || placeSource === 'aqicn') return placeSource;
  return sensorOf({ source: placeSource })?.network ?? 'cams';
}
