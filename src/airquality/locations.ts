// Locations airq knows: the UCI Beijing stations (coordinates approximate, from public station lists) and the book's Stockholm sensor.

export interface Location {
  location_id: string;
  name: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  timezone: string;
  /** Where its data comes from: uci-beijing, aqicn, open-meteo, synthetic. */
  source: string;
  /** Other names people use, comma-separated, for name matching. */
  aliases: string;
}

/** The 12 stations of the UCI Beijing multi-site dataset (the shared data has 10 of them). */
const BEIJING: Record<string, [number, number, string]> = {
  Aotizhongxin: [39.982, 116.397, 'Olympic Sports Center,Aoti'],
  Changping: [40.217, 116.23, ''],
  Dingling: [40.292, 116.22, 'Ming Tombs'],
  Dongsi: [39.929, 116.417, ''],
  Guanyuan: [39.929, 116.339, ''],
  Gucheng: [39.914, 116.184, ''],
  Huairou: [40.328, 116.628, ''],
  Nongzhanguan: [39.937, 116.461, 'Agricultural Exhibition Center'],
  Shunyi: [40.127, 116.655, ''],
  Tiantan: [39.886, 116.407, 'Temple of Heaven'],
  Wanliu: [39.987, 116.287, ''],
  Wanshouxigong: [39.878, 116.352, 'Wanshou Temple West'],
};

export function beijingLocationId(station: string): string {
  return `beijing-${station.toLowerCase()}`;
}

/** The location record of a Beijing station, or undefined for a name that is not one of the 12. */
export function beijingLocation(station: string): Location | undefined {
  const known = Object.keys(BEIJING).find((s) => s.toLowerCase() === station.toLowerCase());
  if (!known) return undefined;
  const [latitude, longitude, aliases] = BEIJING[known]!;
  return {
    location_id: beijingLocationId(known),
    name: known,
    city: 'Beijing',
    country: 'CN',
    latitude,
    longitude,
    timezone: 'Asia/Shanghai',
    source: 'uci-beijing',
    aliases,
  };
}

/** The sensor the book uses: Stockholm, Hornsgatan 108 (`airq demo` adds it as an ordinary place). */
export const STOCKHOLM_HORNSGATAN: Location = {
  location_id: 'stockholm-hornsgatan',
  name: 'Hornsgatan 108',
  city: 'Stockholm',
  country: 'SE',
  latitude: 59.3172,
  longitude: 18.0494,
  timezone: 'Europe/Stockholm',
  source: 'open-meteo',
  aliases: 'Hornsgatan,Södermalm',
};
