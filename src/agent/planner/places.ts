// Finding the places a question names: ids, names and aliases, then misspellings within a small edit distance.
import type { KnownLocation } from '../types.js';

export interface PlaceMatch {
  location: KnownLocation;
  /** Where the words that named it start in the question. */
  index: number;
  text: string;
  fuzzy: boolean;
}

export const normalize = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

// Words a question is made of that must never be taken for a misspelt place.
export const COMMON_WORDS = new Set(
  (
    'about above after again against air also always another anyone anything around average because before being below between breathe ' +
    'bring called cause city clean cleaner cleanest coming compare compared could daily days dirty does doing during early either else ' +
    'enough every explain feature features first forecast friday going great guideline health healthy higher history hours indoor inside ' +
    'kids later least level levels likely little lower march maybe model monday month morning night other outdoor outside people place ' +
    'places please polluted pollution quality quite rather really right safe saturday should similar since smog some something station ' +
    'stations still sunday their there these thing think those thursday today tomorrow tuesday under unhealthy using usual value values ' +
    'vector wear weather wednesday week weekend what when where whether which while will with would yesterday'
  ).split(' '),
);

/** Damerau-Levenshtein distance (adjacent transpositions count once), stopping early past `max`. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Every way a location may be written: its id, the id without its city prefix, its name and aliases. */
function spellings(l: KnownLocation): string[] {
  const out = [l.id, l.name, ...l.aliases];
  const dash = l.id.indexOf('-');
  if (dash > 0) out.push(l.id.slice(dash + 1));
  return [...new Set(out.map((s) => normalize(s).replace(/[-_]+/g, ' ').trim()).filter((s) => s.length >= 3))];
}

const allowedEdits = (length: number) => (length >= 8 ? 2 : length >= 5 ? 1 : 0);

/** The places a question names, in the order it names them; exact spellings first, then close misspellings of the remaining words. */
export function findPlaces(question: string, locations: readonly KnownLocation[]): PlaceMatch[] {
  const text = normalize(question).replace(/[-_]+/g, ' ');
  const found = new Map<string, PlaceMatch>();
  const taken: [number, number][] = [];
  const candidates = locations.flatMap((l) => spellings(l).map((s) => ({ l, s }))).sort((a, b) => b.s.length - a.s.length);
  for (const { l, s } of candidates) {
    const re = new RegExp(`(?<![a-z0-9])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[\\s,]+')}(?![a-z0-9])`, 'g');
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const span: [number, number] = [m.index, m.index + m[0].length];
      if (taken.some(([a, b]) => span[0] < b && span[1] > a)) continue;
      taken.push(span);
      if (!found.has(l.id)) found.set(l.id, { location: l, index: m.index, text: question.slice(span[0], span[1]), fuzzy: false });
    }
  }
  // Misspellings: single words, and runs of two or three ("Wanshou Xigong", "Temple of Heavan"), not already taken and not common words.
  const words = [...text.matchAll(/[a-z0-9]+/g)].map((m) => ({ w: m[0], index: m.index }));
  const runs = [1, 2, 3].flatMap((n) => words.slice(n - 1).map((_, i) => words.slice(i, i + n)));
  for (const run of runs) {
    const index = run[0]!.index;
    const end = run.at(-1)!.index + run.at(-1)!.w.length;
    const word = run.map((r) => r.w).join('');
    if (word.length < 5 || run.some((r) => COMMON_WORDS.has(r.w)) || taken.some(([a, b]) => index < b && end > a)) continue;
    let best: { l: KnownLocation; d: number } | undefined;
    for (const { l, s } of candidates) {
      const target = s.replace(/ /g, '');
      const d = editDistance(word, target, 2);
      if (d <= allowedEdits(target.length) && (!best || d < best.d)) best = { l, d };
    }
    if (best && !found.has(best.l.id)) {
      taken.push([index, end]);
      found.set(best.l.id, { location: best.l, index, text: question.slice(index, end), fuzzy: true });
    }
  }
  return [...found.values()].sort((a, b) => a.index - b.index);
}
