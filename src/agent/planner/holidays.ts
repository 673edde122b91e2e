// Holidays by name: fixed calendar days, Easter by the Gregorian computus, and Chinese festivals from the Chinese calendar of Intl (ICU).
import { addDays } from '../../core/dates.js';

/** Easter Sunday of a year (the anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const chinese = new Intl.DateTimeFormat('en-u-ca-chinese', { timeZone: 'UTC', month: 'numeric', day: 'numeric' });
const lunarCache = new Map<string, string | undefined>();

/** The Gregorian date in `year` of a day of the Chinese lunar calendar (month 1-12, not a leap month), searching between two dates. */
export function lunarDay(year: number, month: number, day: number): string | undefined {
  const key = `${year}-${month}-${day}`;
  if (lunarCache.has(key)) return lunarCache.get(key);
  let found: string | undefined;
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
    const parts = chinese.formatToParts(new Date(t));
    const m = parts.find((p) => p.type === 'month')?.value;
    const d = parts.find((p) => p.type === 'day')?.value;
    if (m === String(month) && d === String(day)) {
      found = new Date(t).toISOString().slice(0, 10);
      break;
    }
  }
  lunarCache.set(key, found);
  return found;
}

/**
 * Holiday names as people write them (lowercase, a regex alternative each) and their date in a year, the
 * longer names first. Movable feasts come from their calendars; the rest are fixed days.
 */
export const HOLIDAYS: { pattern: string; dateIn: (year: number) => string | undefined }[] = [
  // Before the Western new year, so that "Chinese New Year" is not read as 1 January.
  { pattern: "(?:chinese|lunar) new year['’]?s? eve|spring festival eve", dateIn: (y) => lunarEve(y) },
  { pattern: "(?:chinese|lunar) new year(?:['’]?s? day)?|spring festival|chunjie", dateIn: (y) => lunarDay(y, 1, 1) },
  { pattern: 'lantern festival', dateIn: (y) => lunarDay(y, 1, 15) },
  { pattern: 'dragon boat festival|duanwu', dateIn: (y) => lunarDay(y, 5, 5) },
  { pattern: 'mid[- ]autumn festival|moon festival|zhongqiu', dateIn: (y) => lunarDay(y, 8, 15) },
  { pattern: "new year['’]?s? eve", dateIn: (y) => `${y}-12-31` },
  { pattern: "new year['’]?s?(?: day)?(?! eve)", dateIn: (y) => `${y}-01-01` },
  { pattern: 'christmas eve', dateIn: (y) => `${y}-12-24` },
  { pattern: 'christmas(?: day)?|xmas', dateIn: (y) => `${y}-12-25` },
  { pattern: "valentine['’]?s? day|valentines", dateIn: (y) => `${y}-02-14` },
  { pattern: 'halloween', dateIn: (y) => `${y}-10-31` },
  { pattern: 'good friday', dateIn: (y) => addDays(easterSunday(y), -2) },
  { pattern: 'easter monday', dateIn: (y) => addDays(easterSunday(y), 1) },
  { pattern: 'easter(?: sunday| day)?', dateIn: (y) => easterSunday(y) },
  { pattern: 'national day|golden week', dateIn: (y) => `${y}-10-01` },
  { pattern: "may day|workers['’]? day", dateIn: (y) => `${y}-05-01` },
];

/** The eve of the Lunar New Year: the day before it. */
function lunarEve(year: number): string | undefined {
  const day = lunarDay(year, 1, 1);
  return day === undefined ? undefined : addDays(day, -1);
}
