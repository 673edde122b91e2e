// Health claims in text (WHO guideline values, AQI categories and ranges, "harmless", "safe to run") checked against a table of facts.

export type ClaimPollutant = 'pm25' | 'pm10' | 'no2';

/** The facts a claim is checked against; airq's own table is src/airquality/knowledge/health-facts.ts. */
export interface HealthFacts {
  who: {
    pollutant: ClaimPollutant;
    averaging: 'annual' | '24-hour';
    guideline: number;
    interimTargets: number[];
    /** Values of the 2005 guidelines, which a text may still cite as such. */
    earlier: number[];
  }[];
  whoSource: string;
  aqi: { category: string; aqi: [number, number]; pm25: Record<'2012' | '2024', [number, number]>; advice: string }[];
  aqiSource: string;
  noSafeLevel: string;
}

export interface Contradiction {
  rule: string;
  /** The sentence that makes the claim, shortened. */
  sentence: string;
  /** What the text claims, in a few words. */
  says: string;
  /** What the table says, with its source. */
  canonical: string;
}

const POLLUTANT: [RegExp, ClaimPollutant | 'other'][] = [
  [/\bPM\s?2[.,]5\b|PM₂\.₅|\bpm25\b|fine particl/i, 'pm25'],
  [/\bPM\s?10\b|PM₁₀/i, 'pm10'],
  [/\bNO2\b|NO₂|nitrogen dioxide/i, 'no2'],
  // Pollutants the table has no values for: a claim about them is not checked (never read as PM2.5).
  [/\bO3\b|O₃|\bozone\b|\bSO2\b|SO₂|sulph?ur dioxide|\bCO\b|carbon monoxide/i, 'other'],
];
const UNIT = String.raw`(?:µg|μg|ug|mcg)\s*/\s*m(?:³|3)|micrograms?(?: per cubic met(?:re|er))?`;
const NUM = String.raw`(\d{1,12}(?:[.,]\d{1,12})?)`;
const CATEGORY = String.raw`(Unhealthy for Sensitive Groups|Very Unhealthy|Unhealthy|Hazardous|Moderate|Good)`;
/** A negation just before a predicate ("is not safe", "never harmless"), or a sentence about there being no such level. */
const NEGATED = /\b(?:not|never|no|isn't|aren't|cannot|can't|hardly)\s+(?:\w+\s+){0,2}$/i;
const NO_LEVEL = /\bno (?:safe )?(?:level|amount|concentration|dose|threshold)\b/i;
/** A gap that does not cross a turn of the sentence ("fine unless …", "okay on Monday, but Tuesday …"). */
const GAP = (n: number) => String.raw`(?:(?!\b(?:but|unless|except|however|until|although|though|while|whereas)\b)[^.;]){0,${n}}?`;

const WHO = String.raw`(?:\bWHO\b|World Health Organi[sz]ation)`;
const KEYWORD = String.raw`\b(?:guidelines?|limits?|thresholds?|recommend\w*)\b`;
/** "The WHO guideline for PM2.5 is 500 µg/m³", "WHO recommends a limit of 250 ug/m3", "500 µg/m³ is the WHO guideline". */
const WHO_VALUE = new RegExp(String.raw`${WHO}[^.\d]{0,40}?${KEYWORD}([^.\d]{0,40}?)${NUM}\s*(?:${UNIT})`, 'gi');
const VALUE_IS_WHO = new RegExp(String.raw`${NUM}\s*(?:${UNIT})\s+(?:is|as)\s+(?:the\s+)?${WHO}(?:'s)?\s+${KEYWORD}`, 'gi');
/** Words between the keyword and the number that make it a comparison, not the guideline's value. */
const COMPARISON = /\b(?:by|exceed\w*|above|below|over|under|times|than|beyond|past)\b/i;
const HARMLESS = [
  /\b(?:harmless|safe|not (?:harmful|dangerous)|no (?:health )?(?:risks?|harm|effects?))\b[^.]{0,40}?\b(?:at any (?:level|concentration|amount)|at all levels|whatever the (?:level|concentration)|regardless of (?:the )?(?:level|concentration|AQI))/i,
  /\b(?:PM\s?2[.,]5|PM\s?10|particulates?|particles|air pollution|smog)\b[^.]{0,30}?\b(?:is|are)\s+(?:completely |entirely |totally )?(?:harmless|not harmful|good for you)\b/i,
];
const AQI_IS = new RegExp(
  String.raw`\bAQI(?: value| reading)?(?: of| at| around)?\s+(\d{1,3})\b[^.\d]{0,25}?\b(?:is|means|counts as|falls in|is in)\s+(?:(?:considered|rated|classed as|classified as|called)\s+)?(?:the\s+)?["'“]?${CATEGORY}`,
  'gi',
);
const CATEGORY_AT = new RegExp(CATEGORY, 'gi');
const RANGE = new RegExp(String.raw`${NUM}\s*(?:-|–|to)\s*${NUM}(\s*(?:${UNIT}))?`, 'gi');
const DEFINING_GAP = /^(?:[\s(),:;=–—-]|\b(?:AQI|is|means|covers|from|on the|ranges?|green|yellow|orange|red|purple|maroon)\b)*$/i;
const CHANGE = /\b(?:lower|rais|revis|chang|increas|decreas|cut|mov)\w*\b[^.]*\bfrom\b/i;
const SAFE = String.raw`\b(?:safe|fine|ok(?:ay)?|healthy|no problem)\b`;
const ACTIVITY = String.raw`\b(?:run|running|exercise|exercising|jog\w*|workouts?|sports?|outdoors|outside)\b`;
const BAD = String.raw`\b(Very Unhealthy|Hazardous|Unhealthy(?! for Sensitive))\b`;
const SAFE_ACTIVITY = new RegExp(
  String.raw`(?:${SAFE}${GAP(40)}${ACTIVITY}|${ACTIVITY}${GAP(40)}${SAFE})${GAP(40)}${BAD}|${BAD}${GAP(40)}(?:${SAFE}${GAP(40)}${ACTIVITY}|${ACTIVITY}${GAP(40)}${SAFE})`,
  'i',
);

const sentences = (text: string): string[] => text.split(/(?<=[.!?])\s+|\n+/).filter((s) => s.trim().length > 0);
const shorten = (s: string) => (s.length > 200 ? `${s.slice(0, 199)}…` : s).trim();
const num = (s: string) => Number(s.replace(',', '.'));
const negatedBefore = (sentence: string, index: number) =>
  NEGATED.test(sentence.slice(Math.max(0, index - 40), index)) || NO_LEVEL.test(sentence.slice(0, index));

const mentions = (sentence: string) =>
  POLLUTANT.flatMap(([re, p]) => [...sentence.matchAll(new RegExp(re.source, 'gi'))].map((m) => ({ at: m.index!, end: m.index! + m[0].length, p })));

/**
 * Pollutant names, dates and years in brackets as letters of the same length, so that "PM2.5", "2024-07-01" and
 * "(2021)" are not read as numbers and indices stay put.
 */
const masked = (sentence: string) =>
  mentions(sentence)
    .reduce((s, m) => s.slice(0, m.at) + 'P'.repeat(m.end - m.at) + s.slice(m.end), sentence)
    .replace(/\b\d{4}-\d{2}-\d{2}\b|\(\d{4}\)/g, (d) => 'D'.repeat(d.length));

/** The pollutant a number at `index` is about: the last one named before it, else the first named after it, else PM2.5. */
function pollutantAt(sentence: string, index: number): ClaimPollutant | 'other' {
  const all = mentions(sentence).sort((a, b) => a.at - b.at);
  return (all.filter((m) => m.at < index).at(-1) ?? all.find((m) => m.at >= index))?.p ?? 'pm25';
}

const NAMES: Record<ClaimPollutant, string> = { pm25: 'PM2.5', pm10: 'PM10', no2: 'NO2' };

function whoValues(s: string, facts: HealthFacts): Contradiction[] {
  if (!/\bWHO\b|World Health Organi[sz]ation/.test(s)) return [];
  const text = masked(s);
  const claims = [
    ...[...text.matchAll(WHO_VALUE)].filter((m) => !COMPARISON.test(m[1]!)).map((m) => ({ raw: m[2]!, at: m.index! + m[0].length })),
    ...[...text.matchAll(VALUE_IS_WHO)].map((m) => ({ raw: m[1]!, at: m.index! })),
  ];
  const out: Contradiction[] = [];
  for (const { raw, at } of claims) {
    const pollutant = pollutantAt(s, at);
    const rows = facts.who.filter((w) => w.pollutant === pollutant);
    if (pollutant === 'other' || rows.length === 0 || rows.some((w) => [w.guideline, ...w.interimTargets, ...w.earlier].includes(num(raw)))) continue;
    const canonical = rows.map((w) => `${w.guideline} µg/m³ as ${w.averaging === 'annual' ? 'an annual' : 'a 24-hour'} mean`).join(' and ');
    out.push({
      rule: 'who_guideline_value',
      sentence: shorten(s),
      says: `the WHO guideline for ${NAMES[pollutant]} is ${raw} µg/m³`,
      canonical: `The WHO guideline for ${NAMES[pollutant]} is ${canonical} (${facts.whoSource}).`,
    });
  }
  return out;
}

function harmless(s: string, facts: HealthFacts): Contradiction[] {
  if (/\?\s*$/.test(s)) return [];
  for (const re of HARMLESS) {
    const m = re.exec(s);
    if (m && !negatedBefore(s, m.index)) return [{ rule: 'no_safe_level', sentence: shorten(s), says: m[0], canonical: facts.noSafeLevel }];
  }
  return [];
}

const bandOf = (facts: HealthFacts, category: string) => facts.aqi.find((b) => b.category.toLowerCase() === category.toLowerCase())!;
const bandText = (facts: HealthFacts, category: string) => {
  const b = bandOf(facts, category);
  const [lo, hi] = b.pm25['2024'];
  return `${b.category} is AQI ${b.aqi[0]}-${b.aqi[1]}, PM2.5 ${lo.toFixed(1)}-${hi.toFixed(1)} µg/m³ (${facts.aqiSource})`;
};

function aqiCategories(s: string, facts: HealthFacts): Contradiction[] {
  const out: Contradiction[] = [];
  for (const m of masked(s).matchAll(AQI_IS)) {
    const aqi = Number(m[1]);
    const band = facts.aqi.find((b) => aqi >= b.aqi[0] && aqi <= b.aqi[1]);
    if (!band || band.category.toLowerCase() === m[2]!.toLowerCase() || negatedBefore(m[0], m[0].indexOf(m[2]!))) continue;
    out.push({
      rule: 'aqi_category',
      sentence: shorten(s),
      says: `an AQI of ${aqi} is ${m[2]}`,
      canonical: `An AQI of ${aqi} is ${band.category}: ${bandText(facts, band.category)}.`,
    });
  }
  return out;
}

/** "Good (AQI 0-50): 0.0 to 9.0 µg/m³": each range after a category must be that category's AQI or PM2.5 range (either table). */
function categoryRanges(s: string, facts: HealthFacts): Contradiction[] {
  const cats = [...s.matchAll(CATEGORY_AT)];
  if (cats.length !== 1) return []; // a sentence naming several categories compares them; leave it
  const category = cats[0]![1]!;
  const band = bandOf(facts, category);
  const after = masked(s).slice(cats[0]!.index! + cats[0]![0].length);
  if (CHANGE.test(after)) return []; // "lowered from 12.0 to 9.0": a change, not a range
  const out: Contradiction[] = [];
  let from = 0;
  for (const r of after.matchAll(RANGE)) {
    // Only ranges that define the category ("Good (AQI 0-50, green): 0.0 to 9.0 µg/m³"), not any numbers after it.
    if (!DEFINING_GAP.test(after.slice(from, r.index))) break;
    from = r.index! + r[0].length;
    const [lo, hi] = [num(r[1]!), num(r[2]!)];
    if (lo > hi) continue;
    const concentration = r[3] !== undefined;
    const ok = concentration
      ? Object.values(band.pm25).some(([a, b]) => Math.abs(a - lo) < 0.05 && Math.abs(b - hi) < 0.05)
      : band.aqi[0] === lo && (band.aqi[1] === hi || (band.category === 'Hazardous' && hi <= 500 && lo >= 301));
    if (ok) continue;
    out.push({
      rule: 'category_range',
      sentence: shorten(s),
      says: `${band.category} is ${concentration ? 'PM2.5 ' : 'AQI '}${r[1]}-${r[2]}${concentration ? ' µg/m³' : ''}`,
      canonical: `${bandText(facts, band.category)}.`,
    });
  }
  return out;
}

function safeActivity(s: string, facts: HealthFacts): Contradiction[] {
  if (/\?\s*$/.test(s)) return [];
  const m = SAFE_ACTIVITY.exec(s);
  if (!m || negatedBefore(s, m.index)) return [];
  const b = bandOf(facts, (m[1] ?? m[2])!);
  return [{ rule: 'unsafe_activity', sentence: shorten(s), says: m[0], canonical: `When the AQI is ${b.category}: ${b.advice} (${facts.aqiSource})` }];
}

const RULES = [whoValues, harmless, aqiCategories, categoryRanges, safeActivity];

/** Every sentence of `text` that contradicts `facts`, with what it says and what the table says. */
export function contradictions(text: string, facts: HealthFacts, options: { ignoreQuoted?: boolean } = {}): Contradiction[] {
  // An answer that reports a claim in “…” (airq's own note on a contradicted passage) does not make it; a passage is read whole.
  const read = options.ignoreQuoted ? text.replace(/“[^”\n]{0,300}”/g, '“…”') : text;
  return sentences(read).flatMap((s) => RULES.flatMap((rule) => rule(s, facts)));
}

/** True when `text` makes no claim any rule reads (so a caller can skip fetching the facts). */
export function mayMakeHealthClaims(text: string): boolean {
  return /\bWHO\b|World Health|harmless|safe|not harmful|no (?:health )?(?:risk|harm|effect)|AQI|Good|Moderate|Unhealthy|Hazardous|fine|ok(?:ay)?\b|healthy/i.test(
    text,
  );
}
