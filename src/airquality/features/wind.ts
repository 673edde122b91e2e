// Wind: 16-point compass directions, vector components, and daily mean and dominant direction.
//
// Directions are where the wind blows FROM, in degrees clockwise from north (meteorological
// convention). Averaging directions as numbers is wrong (350° and 10° average to north, not south),
// so means are taken over vector components u (east) and v (north).

export const COMPASS = ['N', 'NNE', 'NE', 'ENE', 'E', 'ESE', 'SE', 'SSE', 'S', 'SSW', 'SW', 'WSW', 'W', 'WNW', 'NW', 'NNW'] as const;
export type CompassPoint = (typeof COMPASS)[number];

export function compassToDegrees(point: string): number | null {
  const i = COMPASS.indexOf(point.trim().toUpperCase() as CompassPoint);
  return i < 0 ? null : i * 22.5;
}

export function degreesToCompass(deg: number): CompassPoint {
  return COMPASS[Math.round((((deg % 360) + 360) % 360) / 22.5) % 16]!;
}

/** u (towards east) and v (towards north) of a wind of `speed` blowing from `fromDeg`. */
export function windComponents(speed: number, fromDeg: number): { u: number; v: number } {
  const rad = (fromDeg * Math.PI) / 180;
  return { u: -speed * Math.sin(rad), v: -speed * Math.cos(rad) };
}

/** The direction (degrees, blowing from) of a wind vector; null for calm (no direction). */
export function directionFromComponents(u: number, v: number): number | null {
  if (Math.hypot(u, v) < 1e-9) return null;
  const deg = (Math.atan2(-u, -v) * 180) / Math.PI;
  return Math.round(((deg + 360) % 360) * 10) / 10;
}

export interface WindSample {
  speed: number | null;
  /** 16-point compass direction, e.g. "NNW"; null when not recorded. */
  direction: string | null;
}

export interface DailyWind {
  speedMean: number | null;
  speedMax: number | null;
  u: number | null;
  v: number | null;
  /** Direction of the mean vector (degrees, blowing from). */
  direction: number | null;
  /** The most frequent compass point of the day (ties: the first in compass order). */
  dominant: CompassPoint | null;
}

export function dailyWind(samples: readonly WindSample[]): DailyWind {
  const speeds = samples.map((s) => s.speed).filter((x): x is number => x !== null && Number.isFinite(x));
  let su = 0;
  let sv = 0;
  let n = 0;
  const counts = new Array<number>(16).fill(0);
  for (const s of samples) {
    const deg = s.direction === null ? null : compassToDegrees(s.direction);
    if (deg === null) continue;
    counts[deg / 22.5]!++;
    if (s.speed === null || !Number.isFinite(s.speed)) continue;
    const c = windComponents(s.speed, deg);
    su += c.u;
    sv += c.v;
    n++;
  }
  const best = Math.max(...counts);
  return {
    speedMean: speeds.length ? speeds.reduce((a, b) => a + b, 0) / speeds.length : null,
    speedMax: speeds.length ? Math.max(...speeds) : null,
    u: n ? su / n : null,
    v: n ? sv / n : null,
    direction: n ? directionFromComponents(su / n, sv / n) : null,
    dominant: best > 0 ? COMPASS[counts.indexOf(best)]! : null,
  };
}
