// The US-EPA Air Quality Index: breakpoint tables, AQI <-> concentration, categories and health advice.
//
// Two PM2.5 tables matter. aqicn.org's history was computed with the 2012 table, so AQI values
// imported from aqicn are converted back to µg/m³ with it (`table: '2012'`). The 2024 revision
// (effective 6 May 2024) lowered the "Good" ceiling to 9.0 µg/m³; airq reports categories with it.

export type Pollutant = 'pm25' | 'pm10' | 'no2';
export type PmTable = '2012' | '2024';

/** [concentration low, concentration high, AQI low, AQI high] */
type Segment = readonly [number, number, number, number];

const PM25_2012: readonly Segment[] = [
  [0.0, 12.0, 0, 50],
  [12.1, 35.4, 51, 100],
  [35.5, 55.4, 101, 150],
  [55.5, 150.4, 151, 200],
  [150.5, 250.4, 201, 300],
  [250.5, 350.4, 301, 400],
  [350.5, 500.4, 401, 500],
];

const PM25_2024: readonly Segment[] = [
  [0.0, 9.0, 0, 50],
  [9.1, 35.4, 51, 100],
  [35.5, 55.4, 101, 150],
  [55.5, 125.4, 151, 200],
  [125.5, 225.4, 201, 300],
  [225.5, 325.4, 301, 500],
];

/** 24-hour PM10 in µg/m³ (unchanged in 2024). */
const PM10: readonly Segment[] = [
  [0, 54, 0, 50],
  [55, 154, 51, 100],
  [155, 254, 101, 150],
  [255, 354, 151, 200],
  [355, 424, 201, 300],
  [425, 504, 301, 400],
  [505, 604, 401, 500],
];

/** 1-hour NO2 in ppb (EPA's unit); converted to µg/m³ at 25 °C and 1 atm with 1 ppb = 1.88 µg/m³. */
const NO2_PPB: readonly Segment[] = [
  [0, 53, 0, 50],
  [54, 100, 51, 100],
  [101, 360, 101, 150],
  [361, 649, 151, 200],
  [650, 1249, 201, 300],
  [1250, 1649, 301, 400],
  [1650, 2049, 401, 500],
];
export const NO2_UG_PER_PPB = 1.88;

function table(pollutant: Pollutant, pm: PmTable): readonly Segment[] {
  if (pollutant === 'pm25') return pm === '2012' ? PM25_2012 : PM25_2024;
  return pollutant === 'pm10' ? PM10 : NO2_PPB;
}

/** EPA reports PM2.5 with one decimal, PM10 and NO2 (ppb) as whole numbers. */
const DECIMALS: Record<Pollutant, number> = { pm25: 1, pm10: 0, no2: 0 };

function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/**
 * The concentration (µg/m³) an AQI sub-index stands for: the linear inverse of EPA's formula
 * within the AQI segment, rounded to EPA's reporting precision. Values above 500 extrapolate the
 * top segment; negative or non-finite values give null.
 */
export function aqiToConcentration(aqi: number, pollutant: Pollutant, pm: PmTable = '2012'): number | null {
  if (!Number.isFinite(aqi) || aqi < 0) return null;
  const segs = table(pollutant, pm);
  // An AQI between two segments' integer ends (e.g. 50.5) belongs to the lower one.
  const seg = segs.find((s) => aqi <= s[3]) ?? segs[segs.length - 1]!;
  const [cLo, cHi, iLo, iHi] = seg;
  const c = roundTo(((aqi - iLo) * (cHi - cLo)) / (iHi - iLo) + cLo, DECIMALS[pollutant]);
  return pollutant === 'no2' ? roundTo(c * NO2_UG_PER_PPB, 1) : c;
}

/** EPA's AQI sub-index for a concentration (µg/m³): truncated to reporting precision, then linear within the segment. */
export function concentrationToAqi(concentration: number, pollutant: Pollutant, pm: PmTable = '2024'): number | null {
  if (!Number.isFinite(concentration) || concentration < 0) return null;
  const raw = pollutant === 'no2' ? concentration / NO2_UG_PER_PPB : concentration;
  const f = 10 ** DECIMALS[pollutant];
  const c = Math.floor(raw * f + 1e-9) / f; // EPA truncates, it does not round
  const segs = table(pollutant, pm);
  const seg = segs.find((s) => c <= s[1]) ?? segs[segs.length - 1]!;
  const [cLo, cHi, iLo, iHi] = seg;
  return Math.round(((iHi - iLo) / (cHi - cLo)) * (c - cLo) + iLo);
}

export type AqiCategory = 'Good' | 'Moderate' | 'Unhealthy for Sensitive Groups' | 'Unhealthy' | 'Very Unhealthy' | 'Hazardous';

const CATEGORIES: readonly { max: number; category: AqiCategory; advice: string }[] = [
  { max: 50, category: 'Good', advice: 'Air quality is satisfactory; enjoy outdoor activities.' },
  {
    max: 100,
    category: 'Moderate',
    advice: 'Unusually sensitive people should consider reducing prolonged or heavy exertion outdoors.',
  },
  {
    max: 150,
    category: 'Unhealthy for Sensitive Groups',
    advice: 'People with heart or lung disease, older adults, children and teenagers should reduce prolonged or heavy exertion outdoors.',
  },
  {
    max: 200,
    category: 'Unhealthy',
    advice: 'Everyone should reduce prolonged or heavy exertion outdoors; sensitive groups should avoid it.',
  },
  {
    max: 300,
    category: 'Very Unhealthy',
    advice: 'Everyone should avoid prolonged or heavy exertion outdoors; sensitive groups should stay indoors.',
  },
  { max: Infinity, category: 'Hazardous', advice: 'Everyone should avoid all physical activity outdoors.' },
];

/** The EPA category and its health advice for an AQI value. */
export function aqiCategory(aqi: number): { category: AqiCategory; advice: string } {
  const c = CATEGORIES.find((x) => aqi <= x.max)!;
  return { category: c.category, advice: c.advice };
}

/** One AQI category as the tables define it: its AQI range, its PM2.5 range (µg/m³) in each table, and its advice. */
export interface AqiBand {
  category: AqiCategory;
  aqi: [number, number];
  pm25: Record<PmTable, [number, number]>;
  advice: string;
}

/** The PM2.5 range of a table that maps onto [aqiLow, aqiHigh] (2012's two Hazardous segments make one range). */
function pm25Range(segs: readonly Segment[], lo: number, hi: number): [number, number] {
  const inside = segs.filter((s) => s[2] >= lo && s[3] <= hi);
  return [inside[0]![0], inside.at(-1)![1]];
}

/** The six categories with their ranges, from the tables above (Hazardous: AQI 301-500). */
export function aqiBands(): AqiBand[] {
  let low = 0;
  return CATEGORIES.map((c) => {
    const high = Number.isFinite(c.max) ? c.max : 500;
    const band: AqiBand = {
      category: c.category,
      aqi: [low, high],
      pm25: { '2012': pm25Range(PM25_2012, low, high), '2024': pm25Range(PM25_2024, low, high) },
      advice: c.advice,
    };
    low = high + 1;
    return band;
  });
}
